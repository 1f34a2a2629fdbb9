package ch.cern.alice.lakehouse.support.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CallerTest {

    @Test
    void nameAndHighestRoleComeFromTheAuthentication() {
        Caller caller = Caller.of(authenticated("rita", "ROLE_VIEWER", "ROLE_RESEARCHER", "FACTOR_PASSWORD"));

        assertThat(caller.name()).isEqualTo("rita");
        assertThat(caller.role()).isEqualTo(Role.RESEARCHER);
        assertThat(caller.roles()).containsExactly(Role.VIEWER, Role.RESEARCHER);
        assertThat(caller.isAdmin()).isFalse();
        assertThat(caller.has(Role.VIEWER)).isTrue();
        assertThat(caller.has(Role.ADMIN)).isFalse();
    }

    @Test
    void anAdminIsAdminAndIncludesEveryRole() {
        Caller root = Caller.of(authenticated("root", "ROLE_ADMIN"));

        assertThat(root.isAdmin()).isTrue();
        assertThat(root.role()).isEqualTo(Role.ADMIN);
        assertThat(Role.values()).allMatch(root::has);
    }

    @Test
    void accountsThatAreNotPeopleCountAsViewersButKeepTheirOwnRole() {
        Caller etl = Caller.of(authenticated("etl", "ROLE_SERVICE"));
        Caller scraper = Caller.of(authenticated("scraper", "ROLE_METRICS"));

        assertThat(etl.role()).isEqualTo(Role.VIEWER);
        assertThat(etl.has(Role.SERVICE)).isTrue();
        assertThat(scraper.role()).isEqualTo(Role.VIEWER);
        assertThat(scraper.has(Role.VIEWER)).as("a scrape account reads nothing else").isFalse();
        assertThat(Caller.of(authenticated("nobody")).roles()).isEmpty();
    }

    @Test
    void aCallerMadeWithOneRoleIsGrantedThatRole() {
        assertThat(new Caller("vic", Role.VIEWER)).isEqualTo(new Caller("vic", Role.VIEWER, Set.of(Role.VIEWER)));
    }

    private static UsernamePasswordAuthenticationToken authenticated(String name, String... authorities) {
        return UsernamePasswordAuthenticationToken.authenticated(name, null,
                AuthorityUtils.createAuthorityList(authorities));
    }
}
