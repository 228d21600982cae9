package dev.kvsim.api;

import dev.kvsim.core.ServiceError;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Times in the admin API's bodies and queries: ISO-8601 in UTC. */
final class ApiTimes {

    private ApiTimes() {
    }

    /**
     * @return null when absent
     * @throws ServiceError 400 naming the field for anything but an ISO-8601 UTC time
     */
    static Instant parse(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw ServiceError.invalid(field + " must be an ISO-8601 time in UTC, such as 2026-12-07T10:15:30Z; got '"
                    + text + "'.");
        }
    }
}
