package io.marty.observability.spring.boot;

import io.marty.observability.core.MartyObservability;
import io.marty.observability.http.HttpClientCall;
import io.marty.observability.http.HttpServerTelemetry;
import io.marty.observability.http.MartyServletFilter;
import io.marty.observability.http.RouteTemplater;
import io.marty.observability.spring.boot.internal.ClientInterceptor;
import io.marty.observability.spring.boot.internal.MvcRoutes;
import io.marty.observability.spring.boot.internal.OtelContextAccessor;
import io.marty.observability.spring.boot.internal.ServerWebFilter;
import io.marty.observability.spring.boot.internal.WebClientFilter;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Hooks;

/**
 * HTTP instrumentation through the http module, when {@code marty.http.owner=marty} (the default):
 * the servlet filter for Spring MVC, a {@code WebFilter} for WebFlux, and the client call around
 * every {@code RestClient}, {@code RestTemplate} and {@code WebClient} built from Boot's builders.
 * Spring's own {@code http.server.requests}/{@code http.client.requests} observations are then
 * switched off, so Micrometer records no second request metric and Micrometer Tracing no second
 * span. With {@code marty.http.owner=micrometer} none of this is registered.
 */
@AutoConfiguration(after = MartyAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "marty.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "marty.http.owner", havingValue = "marty", matchIfMissing = true)
@ConditionalOnBean(MartyObservability.class)
public class MartyWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HttpServerTelemetry martyHttpServerTelemetry(
            MartyObservability observability, MartyProperties properties, ApplicationContext context) {
        HttpServerTelemetry.Builder builder = HttpServerTelemetry.builder(observability)
                .accessLog(properties.getHttp().isAccessLog());
        // Spring MVC's mappings as route templates: /hello/{name} rather than one route per name
        List<String> routes = MvcRoutes.patterns(context);
        if (!routes.isEmpty()) {
            builder.routeTemplater(RouteTemplater.builder().addPatterns(routes).build());
        }
        properties.getHttp().getExcludedPaths().forEach(builder::addExcludedPath);
        return builder.build();
    }

    /** One starter for every Spring HTTP client: a route templater bounds the client route labels. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.http.HttpHeaders")
    static class ClientCallsConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "martyHttpClientCalls")
        HttpClientCall.Starter<HttpHeaders> martyHttpClientCalls(MartyObservability observability) {
            return HttpClientCall.starter(observability, RouteTemplater.create(), HttpHeaders::set);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({MartyServletFilter.class, FilterRegistrationBean.class})
    static class ServletConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "martyServletFilter")
        FilterRegistrationBean<MartyServletFilter> martyServletFilter(HttpServerTelemetry telemetry) {
            FilterRegistrationBean<MartyServletFilter> registration =
                    new FilterRegistrationBean<>(MartyServletFilter.create(telemetry));
            registration.setName("martyServletFilter");
            registration.setDispatcherTypes(DispatcherType.REQUEST);
            registration.addUrlPatterns("/*");
            // first, so security and error handling run inside the request context
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
            registration.setAsyncSupported(true);
            return registration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
    static class WebFluxConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ServerWebFilter martyWebFilter(HttpServerTelemetry telemetry) {
            return new ServerWebFilter(telemetry);
        }
    }

    /** Reactor restores the request context on every operator's thread (context-propagation). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"reactor.core.publisher.Hooks", "io.micrometer.context.ContextRegistry"})
    static class ReactorContextConfiguration {

        ReactorContextConfiguration() {
            OtelContextAccessor.registerOnce();
            Hooks.enableAutomaticContextPropagation();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.restclient.RestClientCustomizer")
    static class RestClientConfiguration {

        @Bean
        RestClientCustomizer martyRestClientCustomizer(HttpClientCall.Starter<HttpHeaders> martyHttpClientCalls) {
            ClientInterceptor interceptor = new ClientInterceptor(martyHttpClientCalls);
            return builder -> builder.requestInterceptor(interceptor);
        }

        @Bean
        RestTemplateCustomizer martyRestTemplateCustomizer(HttpClientCall.Starter<HttpHeaders> martyHttpClientCalls) {
            ClientInterceptor interceptor = new ClientInterceptor(martyHttpClientCalls);
            return template -> template.getInterceptors().add(interceptor);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.webclient.WebClientCustomizer")
    static class WebClientConfiguration {

        @Bean
        WebClientCustomizer martyWebClientCustomizer(HttpClientCall.Starter<HttpHeaders> martyHttpClientCalls) {
            WebClientFilter filter = new WebClientFilter(martyHttpClientCalls);
            return builder -> builder.filter(filter);
        }
    }

    /** Marty owns HTTP: Spring's HTTP observations record nothing (no second metric, no second span). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.observation.ObservationPredicate")
    static class ObservationOwnershipConfiguration {

        @Bean
        ObservationPredicate martyOwnsHttpObservations() {
            return (name, context) -> !"http.server.requests".equals(name) && !"http.client.requests".equals(name);
        }
    }
}
