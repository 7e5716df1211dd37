package dev.referralledger.api.http;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.referralledger.core.rules.ConflictException;
import dev.referralledger.core.rules.InvalidCommandException;
import dev.referralledger.core.rules.InvalidTransitionException;
import dev.referralledger.core.rules.LedgerRuleException;
import dev.referralledger.core.rules.UnacceptableException;
import dev.referralledger.core.rules.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.dao.DataAccessException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Maps every failure to problem+json with a stable code; an unexpected one is logged and answered 500. */
@RestControllerAdvice
public class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(InvalidCommandException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidCommandException e, HttpServletRequest request) {
        List<Map<String, String>> errors = e.violations().stream()
                .map(v -> Map.of("field", v.field(), "code", v.code(), "message", v.message()))
                .collect(Collectors.toList());
        return answer(Problems.withErrors(Problems.of(400, "VALIDATION_FAILED", "Invalid request",
                e.getMessage(), request), errors));
    }

    @ExceptionHandler(InvalidTransitionException.class)
    ResponseEntity<ProblemDetail> transition(InvalidTransitionException e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(409, e.code(), "Invalid transition", e.getMessage(), request);
        problem.setProperty("currentStatus", e.currentState());
        problem.setProperty("requestedStatus", e.requestedState());
        return answer(problem);
    }

    /** An id of another kind of aggregate (a referral's id where an agent's is expected) is not found either. */
    @ExceptionHandler({NotFoundException.class, AggregateNotFoundException.class, IncompatibleAggregateException.class,
            NoResourceFoundException.class})
    ResponseEntity<ProblemDetail> notFound(Exception e, HttpServletRequest request) {
        return answer(Problems.of(404, "NOT_FOUND", "Not found", "No such resource.", request));
    }

    /** Well-formed, but it can never succeed as sent (a person referring themselves). */
    @ExceptionHandler(UnacceptableException.class)
    ResponseEntity<ProblemDetail> unacceptable(UnacceptableException e, HttpServletRequest request) {
        return answer(Problems.of(422, e.code(), "Unacceptable", e.getMessage(), request));
    }

    /** A collision with the current state; its details (e.g. the field, the existing id) go along. */
    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(409, e.code(), "Refused", e.getMessage(), request);
        e.details().forEach(problem::setProperty);
        return answer(problem);
    }

    /**
     * Another writer changed the same aggregate at the same moment, and running the command again (the gateway
     * does, up to three times) kept colliding; nothing of this request was written.
     */
    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> concurrent(ConcurrencyException e, HttpServletRequest request) {
        return answer(Problems.of(409, "CONCURRENT_CHANGE", "Refused",
                "The resource was changed by another request at the same moment; nothing was written. Send it again.",
                request));
    }

    /** A resource with this id was created by another request at the same moment. */
    @ExceptionHandler(AggregateStreamCreationException.class)
    ResponseEntity<ProblemDetail> createdTwice(AggregateStreamCreationException e, HttpServletRequest request) {
        return answer(Problems.of(409, "ALREADY_EXISTS", "Refused",
                "A resource with this id was created at the same moment; nothing was written.", request));
    }

    @ExceptionHandler(LedgerRuleException.class)
    ResponseEntity<ProblemDetail> rule(LedgerRuleException e, HttpServletRequest request) {
        return answer(Problems.of(409, e.code(), "Refused", e.getMessage(), request));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestBody.TooLarge tooLarge) {
                return answer(Problems.of(413, "PAYLOAD_TOO_LARGE", "Payload too large", tooLarge.getMessage(), request));
            }
        }
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException u) {
            return field(request, path(u), "UNKNOWN_FIELD", "Unknown field '" + u.getPropertyName() + "'.");
        }
        if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
            JsonMappingException m = (JsonMappingException) cause;
            if (!m.getPath().isEmpty()) {
                return field(request, path(m), "INVALID_FORMAT", "The value has the wrong type or format.");
            }
            return answer(Problems.of(400, "MALFORMED_JSON", "Malformed JSON", "The body must be a JSON object.", request));
        }
        if (cause instanceof JsonProcessingException) {
            return answer(Problems.of(400, "MALFORMED_JSON", "Malformed JSON", "The body is not valid JSON.", request));
        }
        return answer(Problems.of(400, "MISSING_BODY", "Missing body", "A JSON body is required.", request));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> parameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return field(request, e.getName(), "INVALID_FORMAT", "Parameter '" + e.getName() + "' has the wrong format.");
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> header(MissingRequestHeaderException e, HttpServletRequest request) {
        return field(request, e.getHeaderName(), "REQUIRED", "Header '" + e.getHeaderName() + "' is required.");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return answer(Problems.of(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type",
                "Send application/json.", request));
    }

    /**
     * Outside the API (health, OpenAPI) an Accept header without JSON ends up here; the answer is written as
     * bytes so that content negotiation cannot fail a second time.
     */
    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<byte[]> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        String body = "{\"title\":\"Not acceptable\",\"status\":406,\"code\":\"NOT_ACCEPTABLE\",\"detail\":"
                + "\"This resource answers JSON only.\"}";
        return ResponseEntity.status(406).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A value PostgreSQL refuses (class 22, data exception) is bad input, never a server error. */
    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> data(DataAccessException e, HttpServletRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return answer(Problems.of(400, "INVALID_VALUE", "Invalid value",
                        "A value cannot be stored as given; nothing was written.", request));
            }
        }
        return unexpected(e, request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return answer(Problems.of(405, "METHOD_NOT_ALLOWED", "Method not allowed", e.getMessage(), request));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return answer(Problems.of(500, "INTERNAL_ERROR", "Internal error",
                "Something went wrong; nothing was written. Quote the requestId when reporting it.", request));
    }

    /** A 400 about one field, in the same shape as a validation failure. */
    public static ResponseEntity<ProblemDetail> field(HttpServletRequest request, String field, String code, String message) {
        return answer(Problems.withErrors(Problems.of(400, "VALIDATION_FAILED", "Invalid request", message, request),
                List.of(Map.of("field", field, "code", code, "message", message))));
    }

    public static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                .body(problem);
    }

    /** A JSON path such as {@code referred.email} or {@code contacts[1].email} for the value Jackson refused. */
    public static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }
}
