package ch.cern.alice.lakehouse.support.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * The URL rules every service shares, for services that declare their own {@code SecurityFilterChain}: call
 * {@link #apply} first, then add the service's own rules and {@code anyRequest()}:
 * <pre>
 * http.authorizeHttpRequests(auth -&gt; LakehouseRequestRules.apply(auth)
 *         .requestMatchers("/api/v1/something/public").permitAll()
 *         .anyRequest().authenticated())
 * </pre>
 * <ul>
 *   <li>{@code /actuator/health(/**)} and {@code /actuator/info}: anyone (health shows details to admins only);</li>
 *   <li>every other {@code /actuator} endpoint (prometheus, metrics, ...): the METRICS role (a scrape account),
 *       or ADMIN;</li>
 *   <li>the OpenAPI description, Swagger UI and {@code /error}: anyone.</li>
 * </ul>
 */
public final class LakehouseRequestRules {

    private LakehouseRequestRules() {
    }

    public static AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry apply(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry auth) {
        return auth
                .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                .requestMatchers("/actuator", "/actuator/**").hasRole(Role.METRICS.name())
                .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/error")
                .permitAll();
    }
}
