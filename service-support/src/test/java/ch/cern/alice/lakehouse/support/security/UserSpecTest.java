package ch.cern.alice.lakehouse.support.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserSpecTest {

    @Test
    void parsesSeveralUsersWithEncodedPasswords() {
        var users = UserSpec.parseAll("alice:{noop}pw:researcher; root:{bcrypt}$2a$10$abc:ADMIN;");
        assertThat(users).containsExactly(new UserSpec("alice", "{noop}pw", Role.RESEARCHER),
                new UserSpec("root", "{bcrypt}$2a$10$abc", Role.ADMIN));
    }

    @Test
    void badEntriesNameTheUserButNotThePassword() {
        assertThatThrownBy(() -> UserSpec.parseAll("bob:secret"))
                .hasMessageContaining("bob:***").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> UserSpec.parseAll("bob:{noop}x:boss")).hasMessageContaining("unknown role 'boss'");
    }
}
