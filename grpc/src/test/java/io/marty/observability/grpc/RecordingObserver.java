package io.marty.observability.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects a call's messages; {@link #end} completes with the status the call ended with. */
final class RecordingObserver<T> implements StreamObserver<T> {
    final BlockingQueue<T> values = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
        values.add(value);
    }

    @Override
    public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end.complete(Status.OK);
    }

    /** The next message, waiting up to 10 s. */
    T next() throws InterruptedException {
        T value = values.poll(10, TimeUnit.SECONDS);
        assertThat(value).as("a message within 10 s").isNotNull();
        return value;
    }
}
