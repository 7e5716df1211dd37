package dev.referralledger.projections.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Opens the personal data that events store encrypted ({@value #PREFIX}...), for the auditor's history. */
public interface SealedPersonalData {

    String PREFIX = "pii:v1:";

    /** The JSON {@code sealed} stands for, or the text "[erased]" once its person was erased. */
    JsonNode open(String sealed, ObjectMapper json);
}
