package ch.cern.alice.lakehouse.support.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
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
 * the users of {@code LAKEHOUSE_USERS}, role hierarchy ADMIN > RESEARCHER > VIEWER, ADMIN > METRICS,
 * ADMIN > SERVICE > VIEWER (see {@link Role}), method security for {@code @PreAuthorize}. URL rules in
 * {@link LakehouseRequestRules}: health and info stay open for probes (health details for admins only), the other
 * actuator endpoints (Prometheus) need the METRICS role, the OpenAPI description and Swagger UI are open for readers
 * of the API (calling the API still needs a user). A service can replace the filter chain by declaring its own
 * {@link SecurityFilterChain} (then it should call {@link LakehouseRequestRules#apply}).
 *
 * <p>Whatever the filter chain: failed logins are throttled per user name and per client address
 * ({@link LoginThrottleFilter}, {@link LoginThrottle}, client address by {@link ClientAddressResolver}), failed
 * logins, throttled attempts and denied actions are audited ({@link SecurityAuditLog}), and a service listening
 * beyond 127.0.0.1 refuses to start with demo credentials ({@link DemoCredentialsGuard}). See docs/security.md.
 */
@AutoConfiguration
@EnableMethodSecurity
@EnableConfigurationProperties(LakehouseSecurityProperties.class)
public class LakehouseSecurityAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LakehouseSecurityAutoConfiguration.class);

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
    public ClientAddressResolver lakehouseClientAddressResolver(LakehouseSecurityProperties properties) {
        return new ClientAddressResolver(properties.trustedProxies(), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    public LoginThrottle lakehouseLoginThrottle(LakehouseSecurityProperties properties) {
        return new LoginThrottle(properties.loginThrottle(), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    public LoginThrottleFilter lakehouseLoginThrottleFilter(LoginThrottle throttle, ClientAddressResolver resolver) {
        return new LoginThrottleFilter(throttle, resolver);
    }

    @Bean
    public FilterRegistrationBean<LoginThrottleFilter> lakehouseLoginThrottleFilterRegistration(
            LoginThrottleFilter filter) {
        FilterRegistrationBean<LoginThrottleFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(LoginThrottleFilter.ORDER);
        return registration;
    }

    @Bean
    public SecurityEventsListener lakehouseSecurityEventsListener(LoginThrottle throttle,
                                                                  LoginThrottleFilter filter) {
        return new SecurityEventsListener(throttle, filter);
    }

    /** Publishes denials of {@code @PreAuthorize} as events too (the filter chain's publish without it). */
    @Bean
    @ConditionalOnMissingBean
    public AuthorizationEventPublisher lakehouseAuthorizationEventPublisher(ApplicationEventPublisher publisher) {
        return new SpringAuthorizationEventPublisher(publisher);
    }

    /** Checked while the context starts, before the web server accepts a connection. */
    @Bean
    public DemoCredentialsGuard lakehouseDemoCredentialsGuard(LakehouseSecurityProperties properties,
                                                              Environment environment, PasswordEncoder encoder,
                                                              ApplicationContext context) {
        if (context instanceof WebServerApplicationContext) {
            DemoCredentialsGuard.check(UserSpec.parseAll(properties.users()), environment, encoder);
        }
        String details = environment.getProperty("management.endpoint.health.show-details", "");
        if ("always".equalsIgnoreCase(details.strip())) {
            log.warn("management.endpoint.health.show-details=always shows health details (components, versions, "
                    + "disk) to anonymous callers: use when-authorized (the default of service-support: admins only)");
        }
        return new DemoCredentialsGuard();
    }

    @Bean
    @ConditionalOnMissingBean
    public static RoleHierarchy roleHierarchy() {
        RoleHierarchyImpl.Builder builder = RoleHierarchyImpl.withDefaultRolePrefix();
        for (Role role : Role.values()) {
            List<Role> implied = role.directlyImplied();
            if (!implied.isEmpty()) {
                builder.role(role.name()).implies(implied.stream().map(Role::name).toArray(String[]::new));
            }
        }
        return builder.build();
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
                .authorizeHttpRequests(auth -> LakehouseRequestRules.apply(auth).anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
                .exceptionHandling(e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)));
        return http.build();
    }
}
