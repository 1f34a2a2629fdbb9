package ch.cern.alice.lakehouse.common.jdl;

import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JdlParserTest {

    private static final String JDL = """
            # production job
            Executable = "/alice/cern.ch/user/a/aliprod/bin/aliroot_dpgsim.sh";
            User = "aliprod";
            TTL = 72000;
            Price = 1.0;
            MemorySize = "8GB";
            CPUCores = "8";
            Activity = "MC";
            PWG = "COMMON";
            OutputDir = "/alice/sim/2024/LHC24a1/527057/001";
            LPMProductionTag = "LHC24a1";
            LPMRunNumber = "527057";
            InputFile = { "LF:/alice/a.root", "LF:/alice/b;c.root" };
            Requirements = ( other.Type == "machine" ) && ( other.TTL > 72000 );
            """;

    @Test
    void parsesScalarsListsAndQuotedSemicolons() {
        Map<String, List<String>> parsed = JdlParser.parse(JDL);
        assertThat(JdlParser.first(parsed, "User")).isEqualTo("aliprod");
        assertThat(parsed.get("inputfile")).containsExactly("LF:/alice/a.root", "LF:/alice/b;c.root");
        assertThat(JdlParser.first(parsed, "requirements")).contains("other.TTL > 72000");
    }

    @Test
    void derivesTheJdlDatasetColumns() {
        DatasetDescriptor jdl = DatasetCatalog.builtIn().get("jdl");
        Map<String, List<String>> parsed = JdlParser.parse(JDL);
        assertThat(JdlParser.derive(jdl.field("memory_mb").orElseThrow(), parsed)).isEqualTo(8192L);
        assertThat(JdlParser.derive(jdl.field("cpu_cores").orElseThrow(), parsed)).isEqualTo(8);
        assertThat(JdlParser.derive(jdl.field("ttl").orElseThrow(), parsed)).isEqualTo(72000L);
        assertThat(JdlParser.derive(jdl.field("lpm_run_number").orElseThrow(), parsed)).isEqualTo(527057L);
        assertThat(JdlParser.derive(jdl.field("pwg").orElseThrow(), parsed)).isEqualTo("COMMON");
    }

    @Test
    void missingOrMalformedAttributesGiveNull() {
        DatasetDescriptor jdl = DatasetCatalog.builtIn().get("jdl");
        Map<String, List<String>> parsed = JdlParser.parse("CPUCores = \"many\"; garbage without equals");
        assertThat(JdlParser.derive(jdl.field("cpu_cores").orElseThrow(), parsed)).isNull();
        assertThat(JdlParser.derive(jdl.field("user_name").orElseThrow(), parsed)).isNull();
        assertThat(JdlParser.sizeInMegabytes("2000MB")).isEqualTo(2000L);
        assertThat(JdlParser.sizeInMegabytes("x")).isNull();
    }
}
