package dev.kvsim.api;

import java.util.UUID;

/** The error envelope of every failed admin call. */
public record ApiError(String code, String message, String requestId) {

    public static ApiError of(String code, String message) {
        return new ApiError(code, message, UUID.randomUUID().toString().toUpperCase());
    }
}
