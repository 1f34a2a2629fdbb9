package ch.cern.alice.lakehouse.ingest.config;

import ch.cern.alice.lakehouse.support.security.LakehouseRequestRules;
import ch.cern.alice.lakehouse.support.security.LakehouseSecurityProperties;
import ch.cern.alice.lakehouse.support.security.Role;
import ch.cern.alice.lakehouse.support.security.UserSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

import java.util.List;

/**
 * Users, roles and the shared URL rules come from service-support (HTTP Basic against {@code LAKEHOUSE_USERS},
 * {@code @PreAuthorize}, {@link LakehouseRequestRules}: health status for anyone, Prometheus for the METRICS role or
 * admins). The API needs a person's login or the service account: {@code /api/**} (the stats included) the VIEWER
 * role or above, dead letters the admin role ({@code @PreAuthorize}); a scrape account (METRICS) reads metrics only.
 * One difference to the other services, as this one's main job needs no user at all: without
 * {@code LAKEHOUSE_USERS} it still starts and stages records; its API then refuses every call (401) and a warning
 * says why, where the other services refuse to start.
 */
@Configuration(proxyBeanMethods = false)
public class IngestSecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IngestSecurityConfiguration.class);

    @Bean
    public UserDetailsService ingestUsers(LakehouseSecurityProperties properties) {
        List<UserSpec> users = UserSpec.parseAll(properties.users());
        if (users.isEmpty()) {
            log.warn("No users configured (LAKEHOUSE_USERS): records are staged as usual, but the API (stats, dead "
                    + "letters) refuses every call until users are set");
        }
        return new InMemoryUserDetailsManager(users.stream()
                .map(u -> User.withUsername(u.name()).password(u.encodedPassword()).roles(u.role().name()).build())
                .toList());
    }

    @Bean
    public SecurityFilterChain ingestFilterChain(HttpSecurity http) throws Exception {
        HttpStatusEntryPoint unauthorized = new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED);
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> LakehouseRequestRules.apply(auth)
                        .requestMatchers("/api/**").hasRole(Role.VIEWER.name())
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized));
        return http.build();
    }
}
