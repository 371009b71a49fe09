package io.marty.observability.spring.boot.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The path patterns of the application's Spring MVC handler methods ({@code /hello/{name}}), as
 * route templates for the servlet filter, which sees the request before Spring MVC has matched it.
 * Patterns the route templater cannot express (regex or partial-segment variables, {@code *} inside
 * a segment, {@code {*path}}) are left out; those requests get the templater's own route.
 */
public final class MvcRoutes {
    private static final String MAPPING =
            "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping";

    private MvcRoutes() {}

    /** Most specific first (fewer variables, then longer), the order the templater tries them in. */
    public static List<String> patterns(ApplicationContext context) {
        if (!ClassUtils.isPresent(MAPPING, MvcRoutes.class.getClassLoader())) {
            return List.of();
        }
        return Mvc.patterns(context);
    }

    /** Loaded only when Spring MVC is present. */
    private static final class Mvc {
        static List<String> patterns(ApplicationContext context) {
            Set<String> patterns = new TreeSet<>();
            context.getBeanProvider(RequestMappingHandlerMapping.class)
                    .orderedStream()
                    .forEach(mapping -> {
                        for (RequestMappingInfo info :
                                mapping.getHandlerMethods().keySet()) {
                            info.getPatternValues().stream()
                                    .filter(MvcRoutes::expressible)
                                    .forEach(patterns::add);
                        }
                    });
            List<String> ordered = new ArrayList<>(patterns);
            ordered.sort(Comparator.comparingLong(MvcRoutes::variables)
                    .thenComparing(Comparator.comparingInt(String::length).reversed()));
            return ordered;
        }
    }

    static boolean expressible(String pattern) {
        if (!pattern.startsWith("/")) {
            return false;
        }
        String[] segments = pattern.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean variable = s.startsWith("{") && s.endsWith("}") && s.indexOf('{', 1) < 0;
            boolean last = i == segments.length - 1;
            if (variable
                    ? s.startsWith("{*") || s.contains(":")
                    : !(last && s.equals("**")) && (s.contains("*") || s.contains("{"))) {
                return false;
            }
        }
        return true;
    }

    private static long variables(String pattern) {
        return pattern.chars().filter(c -> c == '{' || c == '*').count();
    }
}
