package ch.cern.alice.lakehouse.webui.security;

import ch.cern.alice.lakehouse.support.security.Role;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The SPA signs in here: valid credentials answer with the user's name and highest role. */
@RestController
public class MeController {

    public record CurrentUser(String name, Role role, List<Role> roles) {
    }

    @GetMapping("/api/me")
    public CurrentUser me(Authentication authentication) {
        Set<String> authorities = authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
        Role role = Arrays.stream(Role.values())
                .filter(r -> authorities.contains(r.authority()))
                .max(Comparator.naturalOrder())
                .orElse(Role.VIEWER);
        List<Role> implied = Arrays.stream(Role.values()).filter(role::implies).toList();
        return new CurrentUser(authentication.getName(), role, implied);
    }
}
