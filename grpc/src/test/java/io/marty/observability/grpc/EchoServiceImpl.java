package io.marty.observability.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.marty.observability.core.correlation.CorrelationContext;
import io.marty.observability.grpc.testing.EchoReply;
import io.marty.observability.grpc.testing.EchoRequest;
import io.marty.observability.grpc.testing.EchoServiceGrpc;
import io.opentelemetry.api.trace.Span;

/** Test service: replies with the context it saw; {@code behavior} selects failures and delays. */
final class EchoServiceImpl extends EchoServiceGrpc.EchoServiceImplBase {

    /** Counted down whenever a handler starts a "sleep:" behaviour (the call reached the server). */
    final java.util.concurrent.Semaphore sleeping = new java.util.concurrent.Semaphore(0);

    static EchoReply reply(String message) {
        CorrelationContext c = CorrelationContext.current();
        return EchoReply.newBuilder()
                .setMessage(message)
                .setCorrelationId(String.valueOf(c.correlationId()))
                .setRequestId(String.valueOf(c.requestId()))
                .setParentRequestId(String.valueOf(c.parentRequestId()))
                .setTraceId(Span.current().getSpanContext().getTraceId())
                .build();
    }

    /** Applies the behaviour; returns false when the call was already failed. */
    private boolean behave(EchoRequest request, StreamObserver<EchoReply> out) {
        String behavior = request.getBehavior();
        if (behavior.startsWith("fail:")) {
            out.onError(Status.Code.valueOf(behavior.substring(5))
                    .toStatus()
                    .withDescription("requested")
                    .asRuntimeException());
            return false;
        }
        if (behavior.equals("throw")) {
            throw new IllegalStateException("service failed on purpose");
        }
        if (behavior.startsWith("sleep:")) {
            sleeping.release();
            try {
                Thread.sleep(Long.parseLong(behavior.substring(6)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    @Override
    public void unary(EchoRequest request, StreamObserver<EchoReply> out) {
        if (behave(request, out)) {
            out.onNext(reply(request.getMessage()));
            out.onCompleted();
        }
    }

    @Override
    public void serverStream(EchoRequest request, StreamObserver<EchoReply> out) {
        if (!behave(request, out)) {
            return;
        }
        for (int i = 0; i < request.getCount(); i++) {
            out.onNext(reply(request.getMessage() + "-" + i));
        }
        out.onCompleted();
    }

    @Override
    public StreamObserver<EchoRequest> clientStream(StreamObserver<EchoReply> out) {
        StringBuilder all = new StringBuilder();
        return new StreamObserver<>() {
            private boolean failed;

            @Override
            public void onNext(EchoRequest value) {
                if (!failed) {
                    failed = !behave(value, out);
                    all.append(value.getMessage());
                }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                if (!failed) {
                    out.onNext(reply(all.toString()));
                    out.onCompleted();
                }
            }
        };
    }

    @Override
    public StreamObserver<EchoRequest> bidi(StreamObserver<EchoReply> out) {
        return new StreamObserver<>() {
            private boolean failed;

            @Override
            public void onNext(EchoRequest value) {
                if (!failed) {
                    failed = !behave(value, out);
                    if (!failed) {
                        out.onNext(reply(value.getMessage()));
                    }
                }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                if (!failed) {
                    out.onCompleted();
                }
            }
        };
    }
}
