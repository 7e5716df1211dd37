package dev.referralledger.api.publicform;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import java.time.Duration;
import java.util.List;

/**
 * CORS for {@code /api/public/**} only: any site (or the configured ones) may post the form from a browser,
 * without cookies or credentials. It runs before every other filter, so that a preflight is answered at once
 * and even a 413 or 429 is readable by the page that posted.
 */
@Configuration(proxyBeanMethods = false)
class PublicFormCors {

    @Bean
    FilterRegistrationBean<CorsFilter> publicFormCorsFilter(PublicFormProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.allowedOrigins() == null || properties.allowedOrigins().isEmpty()
                ? List.of("*") : properties.allowedOrigins());
        cors.setAllowedMethods(List.of("POST", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Content-Type"));
        cors.setExposedHeaders(List.of("Retry-After", "RateLimit", "RateLimit-Policy", "X-Request-Id"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration(PublicFormProperties.PATH_PREFIX + "**", cors);
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.addUrlPatterns(PublicFormProperties.PATH_PREFIX + "*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setName("publicFormCors");
        return registration;
    }
}
