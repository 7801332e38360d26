package io.inos.adapters.grpc;

import io.inos.graceful.Code;
import io.inos.graceful.Outcome;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;

/** The gRPC edge of {@code graceful}: outcomes become gRPC statuses through {@link Code#grpcStatus()}. */
public final class GrpcStatuses {

  private GrpcStatuses() {
  }

  /** @return the gRPC status of {@code code} */
  public static GrpcStatus of(Code code) {
    GrpcStatus status = GrpcStatus.valueOf(code.grpcStatus());
    return status == null ? GrpcStatus.UNKNOWN : status;
  }

  /** @return the exception that ends a call with the status and message of {@code outcome} */
  public static StatusException toException(Outcome outcome) {
    return new StatusException(of(outcome.code()), outcome.message());
  }

  /** @return the exception that ends a call with the outcome that best describes {@code failure} */
  public static StatusException toException(Throwable failure) {
    return failure instanceof StatusException se ? se : toException(Outcome.of(failure));
  }
}
