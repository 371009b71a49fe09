package io.marty.observability.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.marty.observability.core.metrics.Outcome;
import org.junit.jupiter.api.Test;

class GrpcOutcomesTest {

    @Test
    void everyCodeHasAnOutcome() {
        for (Status.Code code : Status.Code.values()) {
            assertThat(GrpcOutcomes.outcomeOf(code)).isNotNull();
        }
        assertThat(GrpcOutcomes.outcomeOf(Status.Code.OK)).isEqualTo(Outcome.SUCCESS);
        assertThat(GrpcOutcomes.outcomeOf(Status.Code.INVALID_ARGUMENT)).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(GrpcOutcomes.outcomeOf(Status.Code.NOT_FOUND)).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(GrpcOutcomes.outcomeOf(Status.Code.PERMISSION_DENIED)).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(GrpcOutcomes.outcomeOf(Status.Code.CANCELLED)).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(GrpcOutcomes.outcomeOf(Status.Code.UNAVAILABLE)).isEqualTo(Outcome.SERVER_ERROR);
        assertThat(GrpcOutcomes.outcomeOf(Status.Code.INTERNAL)).isEqualTo(Outcome.SERVER_ERROR);
        assertThat(GrpcOutcomes.outcomeOf(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(Outcome.SERVER_ERROR);
        assertThat(GrpcOutcomes.outcomeOf(Status.Code.UNKNOWN)).isEqualTo(Outcome.SERVER_ERROR);
        assertThat(GrpcOutcomes.outcomeOf(null)).isEqualTo(Outcome.SERVER_ERROR);
    }
}
