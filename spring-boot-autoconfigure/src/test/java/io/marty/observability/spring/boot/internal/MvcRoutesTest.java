package io.marty.observability.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.marty.observability.http.HttpServerTelemetry;
import io.marty.observability.spring.boot.MartyAutoConfiguration;
import io.marty.observability.spring.boot.MartyWebAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

class MvcRoutesTest {

    @RestController
    static class Hello {
        @GetMapping("/hello/{name}")
        String hello(@PathVariable("name") String name) {
            return name;
        }

        @GetMapping("/hello/special")
        String special() {
            return "special";
        }

        @GetMapping("/files/{name:[a-z]+}.txt")
        String file(@PathVariable("name") String name) {
            return name;
        }
    }

    @Test
    void theServerRoutesAreSpringMvcsPatternsMostSpecificFirst() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        MartyAutoConfiguration.class,
                        MartyWebAutoConfiguration.class,
                        DispatcherServletAutoConfiguration.class,
                        WebMvcAutoConfiguration.class))
                .withUserConfiguration(Hello.class)
                .withPropertyValues("marty.service.name=routes", "marty.tracing.exporter=none")
                .run(context -> {
                    var routes = context.getBean(HttpServerTelemetry.class).routeTemplater();
                    assertThat(routes.template("/hello/world")).isEqualTo("/hello/{name}");
                    assertThat(routes.template("/hello/special")).isEqualTo("/hello/special");
                    // a regex variable is not expressible: the templater's own route
                    assertThat(routes.template("/files/abc.txt")).isEqualTo("/files/abc.txt");
                });
    }

    @Test
    void patternsTheTemplaterCannotExpressAreLeftOut() {
        assertThat(MvcRoutes.expressible("/orders/{id}/items")).isTrue();
        assertThat(MvcRoutes.expressible("/static/**")).isTrue();
        assertThat(MvcRoutes.expressible("/static/**/x")).isFalse();
        assertThat(MvcRoutes.expressible("/files/{*path}")).isFalse();
        assertThat(MvcRoutes.expressible("/orders/{id:\\d+}")).isFalse();
        assertThat(MvcRoutes.expressible("/img/*.png")).isFalse();
        assertThat(MvcRoutes.expressible("/v{version}/x")).isFalse();
    }
}
