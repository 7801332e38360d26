package io.inos.adapters.http;

import io.inos.graceful.Code;

/** A request this door refuses before it reaches the Nexus: the HTTP status, the outcome code and why. */
final class InvalidRequestException extends RuntimeException {

  private final int status;
  private final Code code;

  InvalidRequestException(int status, Code code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** A 400 INVALID_ARGUMENT. */
  static InvalidRequestException badRequest(String message) {
    return new InvalidRequestException(400, Code.INVALID_ARGUMENT, message);
  }

  int status() {
    return status;
  }

  Code code() {
    return code;
  }
}
