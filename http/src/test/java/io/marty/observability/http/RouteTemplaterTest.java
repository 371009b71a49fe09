package io.marty.observability.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RouteTemplaterTest {

    private final RouteTemplater routes = RouteTemplater.create();

    @Test
    void numericIdsBecomePlaceholders() {
        assertThat(routes.template("/orders/123")).isEqualTo("/orders/{id}");
        assertThat(routes.template("/orders/123/items/7")).isEqualTo("/orders/{id}/items/{id}");
        assertThat(routes.template("/v2/orders")).isEqualTo("/v2/orders");
    }

    @Test
    void uuidsAndLongHexBecomePlaceholders() {
        assertThat(routes.template("/orders/" + UUID.randomUUID())).isEqualTo("/orders/{id}");
        assertThat(routes.template("/orders/9f1c2e3d4b5a69788f1c2e3d4b5a6978/x"))
                .isEqualTo("/orders/{id}/x");
        assertThat(routes.template("/blobs/DEADBEEF01234567")).isEqualTo("/blobs/{id}");
        // short hex-looking words stay: "/cafe", "/feed", "/deadbeef"
        assertThat(routes.template("/cafe/feed/deadbeef")).isEqualTo("/cafe/feed/deadbeef");
    }

    @Test
    void queryStringAndFragmentAreIgnored() {
        assertThat(routes.template("/orders/5?x=1")).isEqualTo("/orders/{id}");
        assertThat(routes.template("/search#top")).isEqualTo("/search");
        assertThat(routes.template("?x")).isEqualTo("/");
        assertThat(routes.template(null)).isEqualTo("/");
        assertThat(routes.template("")).isEqualTo("/");
    }

    @Test
    void trailingSlashAndRootArePreserved() {
        assertThat(routes.template("/")).isEqualTo("/");
        assertThat(routes.template("/orders/42/")).isEqualTo("/orders/{id}/");
    }

    @Test
    void userPatternsWinOverHeuristics() {
        RouteTemplater custom = RouteTemplater.builder()
                .addPattern("/users/{user}/cart")
                .addPattern("/static/**")
                .build();
        assertThat(custom.template("/users/alice/cart")).isEqualTo("/users/{user}/cart");
        assertThat(custom.template("/users/42/cart")).isEqualTo("/users/{user}/cart");
        assertThat(custom.template("/users/alice/cart/x")).isEqualTo("/users/alice/cart/x");
        assertThat(custom.template("/users//cart")).isEqualTo("/users//cart");
        assertThat(custom.template("/static/css/app.css")).isEqualTo("/static/**");
        assertThat(custom.template("/users/alice")).isEqualTo("/users/alice");
    }

    @Test
    void distinctRawPathsStayBoundedAndOverflowIsCounted() {
        RouteTemplater bounded = RouteTemplater.builder().maxRoutes(50).build();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(bounded.template("/p/slug-" + Integer.toString(i, 36) + "x"));
        }
        assertThat(seen).hasSizeLessThanOrEqualTo(51).contains(RouteTemplater.DEFAULT_OVERFLOW_ROUTE);
        assertThat(bounded.overflowCount()).isEqualTo(10_000 - 50);
        // templates admitted before the limit keep working
        assertThat(bounded.template("/p/slug-0x")).isEqualTo("/p/slug-0x");
    }

    @Test
    void idsDoNotConsumeTheLimit() {
        RouteTemplater bounded = RouteTemplater.builder().maxRoutes(1).build();
        for (int i = 0; i < 1000; i++) {
            assertThat(bounded.template("/orders/" + i)).isEqualTo("/orders/{id}");
        }
        assertThat(bounded.overflowCount()).isZero();
    }

    @Test
    void badConfigurationFailsFastNamingTheValue() {
        assertThatThrownBy(() -> RouteTemplater.builder().addPattern("users"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'users'");
        assertThatThrownBy(() -> RouteTemplater.builder().addPattern("/a/**/b")).hasMessageContaining("/a/**/b");
        assertThatThrownBy(() -> RouteTemplater.builder().maxRoutes(0)).hasMessageContaining("maxRoutes");
    }
}
