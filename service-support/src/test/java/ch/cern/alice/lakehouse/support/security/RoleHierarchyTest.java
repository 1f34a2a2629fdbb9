package ch.cern.alice.lakehouse.support.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RoleHierarchyTest {

    private final RoleHierarchy hierarchy = LakehouseSecurityAutoConfiguration.roleHierarchy();

    private Set<Role> reachable(Role role) {
        Set<String> authorities = hierarchy.getReachableGrantedAuthorities(
                        List.of(new SimpleGrantedAuthority(role.authority()))).stream()
                .map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
        return Arrays.stream(Role.values()).filter(r -> authorities.contains(r.authority()))
                .collect(Collectors.toSet());
    }

    @Test
    void theHierarchyAndRoleImpliesAgree() {
        for (Role role : Role.values()) {
            assertThat(reachable(role)).as(role.name()).isEqualTo(role.impliedRoles());
        }
    }

    @Test
    void whatEachAccountIncludes() {
        assertThat(Role.ADMIN.impliedRoles()).containsExactlyInAnyOrder(Role.values());
        assertThat(Role.SERVICE.impliedRoles()).containsExactlyInAnyOrder(Role.SERVICE, Role.VIEWER);
        assertThat(Role.METRICS.impliedRoles()).containsExactly(Role.METRICS);
        assertThat(Role.VIEWER.implies(Role.METRICS)).isFalse();
        assertThat(Role.RESEARCHER.implies(Role.SERVICE)).isFalse();
    }

    @Test
    void theAccountsThatAreNotPeopleRankBelowViewerForCodeThatComparesRoles() {
        assertThat(Role.METRICS).isLessThan(Role.VIEWER);
        assertThat(Role.SERVICE).isLessThan(Role.VIEWER);
        assertThat(Role.VIEWER).isLessThan(Role.RESEARCHER).isLessThan(Role.ADMIN);
        assertThat(Role.parse(" metrics ")).isEqualTo(Role.METRICS);
        assertThat(Role.parse("Service")).isEqualTo(Role.SERVICE);
    }
}
