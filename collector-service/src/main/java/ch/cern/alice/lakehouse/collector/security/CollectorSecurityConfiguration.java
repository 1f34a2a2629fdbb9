package ch.cern.alice.lakehouse.collector.security;

import ch.cern.alice.lakehouse.support.security.LakehouseRequestRules;
import ch.cern.alice.lakehouse.support.security.Role;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Two kinds of callers, kept apart: sites send records with their API key ({@code X-Api-Key}, checked by the records
 * controller against {@code COLLECTOR_SITE_KEYS}), people and accounts read the figures with a login of
 * service-support ({@code LAKEHOUSE_USERS}, HTTP Basic, login throttling and audit as in every service).
 * <ul>
 *   <li>{@code POST /api/v1/datasets/{dataset}/records}: no user login at all; an {@code Authorization} header is
 *       neither checked nor honoured there, so a user's password never posts a record (the controller answers 401
 *       without an API key) and the intake cannot be used to guess passwords. Nothing else is open to sites: a
 *       further site endpoint must be added here on purpose;</li>
 *   <li>{@code GET /api/v1/stats}: the VIEWER role or above (the service account included); an API key alone is no
 *       login (401), a scrape account (METRICS) is refused (403);</li>
 *   <li>actuator and API docs: {@link LakehouseRequestRules} (health status for anyone, details for admins,
 *       Prometheus and metrics for the METRICS role or admins).</li>
 * </ul>
 * Users are required as in every service but ingest: without {@code LAKEHOUSE_USERS} the collector does not start
 * (service-support says so), and it refuses demo credentials when it listens beyond 127.0.0.1.
 */
@Configuration(proxyBeanMethods = false)
public class CollectorSecurityConfiguration {

    /** The header of a site's key, in the OpenAPI description too. */
    public static final String SITE_KEY_SCHEME = "siteKey";
    public static final String USER_LOGIN_SCHEME = "basicAuth";

    /** The one call of a site: every other request goes through the users' chain. */
    static final String RECORDS = "/api/v1/datasets/{dataset}/records";

    @Bean
    @Order(1)
    public SecurityFilterChain siteRecordsChain(HttpSecurity http) throws Exception {
        http.securityMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, RECORDS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    @Order(2)
    public SecurityFilterChain userChain(HttpSecurity http) throws Exception {
        HttpStatusEntryPoint unauthorized = new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED);
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> LakehouseRequestRules.apply(auth)
                        .requestMatchers(HttpMethod.GET, "/api/v1/stats").hasRole(Role.VIEWER.name())
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized));
        return http.build();
    }

    /**
     * Replaces service-support's description (HTTP Basic for every call): records name the site key, the stats the
     * user login ({@code @SecurityRequirement} on each operation).
     */
    @Bean
    public OpenAPI collectorOpenApi(@Value("${spring.application.name:collector-service}") String service) {
        return new OpenAPI()
                .info(new Info().title(service + " API").version("v1")
                        .description("ALICE Data Lakehouse: " + service + ". Sites send records with their API key "
                                + "(X-Api-Key); the statistics need a user login (viewer or above). Users and roles: "
                                + "docs/security.md."))
                .components(new Components()
                        .addSecuritySchemes(SITE_KEY_SCHEME, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-Api-Key")
                                .description("the site's API key (COLLECTOR_SITE_KEYS)"))
                        .addSecuritySchemes(USER_LOGIN_SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("basic").description("a user of LAKEHOUSE_USERS")));
    }
}
