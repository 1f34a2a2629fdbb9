package ch.cern.alice.lakehouse.collector.auth;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SiteKeyParserTest {

    private final SiteKeyParser parser = new SiteKeyParser(List.of("trace", "job_info", "jdl", "metrics"));

    @Test
    void hashedAndPlainKeysAuthenticateTheirSiteWithItsDatasets() {
        SiteKeyRegistry registry = parser.parse(Map.of("COLLECTOR_SITE_KEYS",
                // printf %s fzk-key | sha256sum
                " FZK:36ED3D2C6535CDD37A1D64221A98C65AC0D4EC46A53A23ADC2515CDAAD49FB0A:trace|metrics ;"
                        + "CERN:{plain}a:key:with:colons:*;;"));

        SiteGrant fzk = registry.authenticate("fzk-key").orElseThrow();
        assertThat(fzk.site()).isEqualTo("FZK");
        assertThat(fzk.mayWrite("trace")).isTrue();
        assertThat(fzk.mayWrite("metrics")).isTrue();
        assertThat(fzk.mayWrite("jdl")).isFalse();

        SiteGrant cern = registry.authenticate("a:key:with:colons").orElseThrow();
        assertThat(cern.site()).isEqualTo("CERN");
        assertThat(cern.mayWrite("jdl")).isTrue();

        assertThat(registry.authenticate("{plain}a:key:with:colons")).isEmpty();
        assertThat(registry.authenticate("36ed3d2c6535cdd37a1d64221a98c65ac0d4ec46a53a23adc2515cdaad49fb0a")).isEmpty();
        assertThat(registry.authenticate(null)).isEmpty();
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void fileEntriesMayBeOnePerLineWithComments() {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("COLLECTOR_SITE_KEYS", "");
        sources.put("keys.txt", "# site keys\nGSI:{plain}gsi-secret:job_info\n\nKISTI_GSDC:{plain}kisti:*\n");
        SiteKeyRegistry registry = parser.parse(sources);
        assertThat(registry.authenticate("gsi-secret").orElseThrow().site()).isEqualTo("GSI");
        assertThat(registry.authenticate("kisti").orElseThrow().site()).isEqualTo("KISTI_GSDC");
    }

    @Test
    void mistakesFailWithThePositionButNeverShowTheKey() {
        assertThatThrownBy(() -> parser.parse(Map.of("COLLECTOR_SITE_KEYS", "CERN:{plain}k:*;FZK:secret-plain:trace")))
                .hasMessageContaining("COLLECTOR_SITE_KEYS entry 2").hasMessageContaining("64 hex digits")
                .hasMessageNotContaining("secret-plain");
        assertThatThrownBy(() -> parser.parse(Map.of("COLLECTOR_SITE_KEYS", "CERN:{plain}k:traces")))
                .hasMessageContaining("unknown dataset 'traces'");
        assertThatThrownBy(() -> parser.parse(Map.of("COLLECTOR_SITE_KEYS", "CERN-only")))
                .hasMessageContaining("expected site:sha256hex-of-key:dataset1|dataset2|*");
        assertThatThrownBy(() -> parser.parse(Map.of("COLLECTOR_SITE_KEYS", "A:{plain}k:*;B:{plain}k:trace")))
                .hasMessageContaining("the same key is configured twice");
    }

    @Test
    void hashMatchesSha256sum() {
        assertThat(ApiKeyHash.of("fzk-key"))
                .isEqualTo("36ed3d2c6535cdd37a1d64221a98c65ac0d4ec46a53a23adc2515cdaad49fb0a");
    }
}
