package ch.cern.alice.lakehouse.support.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Users and roles for every service but the collector (sites authenticate with API keys there): HTTP Basic against
 * the users of {@code LAKEHOUSE_USERS}, role hierarchy ADMIN > RESEARCHER > VIEWER, method security for
 * {@code @PreAuthorize}. Health and Prometheus endpoints stay open for probes, the OpenAPI description and Swagger UI
 * for readers of the API (calling the API still needs a user). A service can replace the filter
 * chain by declaring its own {@link SecurityFilterChain}.
 */
@AutoConfiguration
@EnableMethodSecurity
@EnableConfigurationProperties(LakehouseSecurityProperties.class)
public class LakehouseSecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    @ConditionalOnMissingBean
    public UserDetailsService lakehouseUsers(LakehouseSecurityProperties properties) {
        List<UserSpec> users = UserSpec.parseAll(properties.users());
        if (users.isEmpty()) {
            throw new IllegalStateException("No users configured: set LAKEHOUSE_USERS to name:password:role;... "
                    + "(see .env.example)");
        }
        List<UserDetails> details = users.stream()
                .map(u -> User.withUsername(u.name()).password(u.encodedPassword()).roles(u.role().name()).build())
                .toList();
        return new InMemoryUserDetailsManager(details);
    }

    /**
     * Checks passwords without rewriting them: a {@code UserDetailsPasswordService} would "upgrade" {noop} demo
     * passwords to bcrypt after the first login and make every later call pay for bcrypt. Successful checks are
     * remembered for a minute (see {@link CachingAuthenticationProvider}).
     */
    @Bean
    @ConditionalOnMissingBean(AuthenticationProvider.class)
    public AuthenticationProvider lakehouseAuthenticationProvider(UserDetailsService users, PasswordEncoder encoder) {
        UserDetailsService withoutPasswordUpgrade = users::loadUserByUsername;
        DaoAuthenticationProvider passwordCheck = new DaoAuthenticationProvider(withoutPasswordUpgrade);
        passwordCheck.setPasswordEncoder(encoder);
        return new CachingAuthenticationProvider(passwordCheck, Duration.ofMinutes(1), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    public static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(Role.ADMIN.name()).implies(Role.RESEARCHER.name())
                .role(Role.RESEARCHER.name()).implies(Role.VIEWER.name())
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    static MethodSecurityExpressionHandler methodSecurityExpressionHandler(RoleHierarchy roleHierarchy) {
        DefaultMethodSecurityExpressionHandler handler = new DefaultMethodSecurityExpressionHandler();
        handler.setRoleHierarchy(roleHierarchy);
        return handler;
    }

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    public SecurityFilterChain lakehouseFilterChain(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info",
                                "/actuator/prometheus", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
                                "/swagger-ui/**", "/error").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
                .exceptionHandling(e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)));
        return http.build();
    }
}
