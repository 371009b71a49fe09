package io.marty.observability.dashboards;

import io.marty.observability.slo.Slo;
import io.marty.observability.slo.SloLoader;
import java.util.List;

/** The SLO specs under deploy/slo/ that the checked-in dashboards are generated from. */
final class DeploySpecs {
    private DeploySpecs() {}

    static List<Slo> slos() {
        return SloLoader.load(List.of(
                Tools.REPO.resolve("deploy/slo/shop.yaml"),
                Tools.REPO.resolve("deploy/slo/payment-service.openslo.yaml")));
    }

    static List<Dashboard> dashboards() {
        return Dashboards.generate(slos());
    }
}
