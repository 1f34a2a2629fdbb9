package ch.cern.alice.lakehouse.collector.intake;

import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordStreamParserTest {

    private final RecordStreamParser parser = new RecordStreamParser(new JsonFactory());

    @Test
    void arrayElementsArriveInOrderAsPlainJavaValues() {
        List<Object> records = parse("[{\"a\":1,\"b\":12345678901,\"c\":1.5,\"d\":\"x\",\"e\":null,\"f\":[true,false],"
                + "\"g\":{\"h\":99999999999999999999}}, 7, \"s\"]", BodyFormat.JSON_ARRAY);
        assertThat(records).hasSize(3);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) records.get(0);
        assertThat(first).containsKeys("a", "b", "c", "d", "e", "f", "g");
        assertThat(first.get("a")).isEqualTo(1);
        assertThat(first.get("b")).isEqualTo(12345678901L);
        assertThat(first.get("c")).isEqualTo(1.5);
        assertThat(first.get("d")).isEqualTo("x");
        assertThat(first.get("e")).isNull();
        assertThat(first.get("f")).isEqualTo(List.of(true, false));
        assertThat(((Map<?, ?>) first.get("g")).get("h")).isEqualTo(new java.math.BigInteger("99999999999999999999"));
        assertThat(records.get(1)).isEqualTo(7);
        assertThat(records.get(2)).isEqualTo("s");
    }

    @Test
    void ndjsonSkipsBlankLines() {
        assertThat(parse("{\"a\":1}\n\n{\"a\":2}\r\n{\"a\":3}", BodyFormat.NDJSON)).hasSize(3);
        assertThat(parse("", BodyFormat.NDJSON)).isEmpty();
        assertThat(parse("[]", BodyFormat.JSON_ARRAY)).isEmpty();
    }

    @Test
    void errorsNameTheRecordAndTheLine() {
        assertThatThrownBy(() -> parse("[\n{\"a\":1},\n{\"a\":1\n", BodyFormat.JSON_ARRAY))
                .isInstanceOf(MalformedBodyException.class).hasMessageContaining("record index 1");
        assertThatThrownBy(() -> parse("{\"a\":1}\n{\"a\":2}\n{\"a\" 3}\n", BodyFormat.NDJSON))
                .isInstanceOf(MalformedBodyException.class).hasMessageContaining("record 2 on line 3");
        assertThatThrownBy(() -> parse("[{\"a\":1}] {}", BodyFormat.JSON_ARRAY))
                .hasMessageContaining("after the closing ']'");
        assertThatThrownBy(() -> parse("", BodyFormat.JSON_ARRAY)).hasMessageContaining("the body is empty");
        assertThatThrownBy(() -> parse("{\"a\":1}", BodyFormat.JSON_ARRAY))
                .hasMessageContaining("expected a JSON array of records at line 1, found a JSON object");
    }

    @Test
    void aLimitedStreamStopsParsingOnceTheLimitIsPassed() {
        byte[] body = ("[" + "{\"a\":1},".repeat(1000) + "{}]").getBytes(StandardCharsets.UTF_8);
        List<Object> seen = new ArrayList<>();
        InputStream limited = new LimitedInputStream(new ByteArrayInputStream(body), 100, "request body");
        assertThatThrownBy(() -> parser.parse(limited, BodyFormat.JSON_ARRAY, (i, r) -> seen.add(r)))
                .isInstanceOf(BodyTooLargeException.class).hasMessage("the request body exceeds the limit of 100 bytes");
        assertThat(seen.size()).isLessThan(1000);
    }

    private List<Object> parse(String body, BodyFormat format) {
        List<Object> records = new ArrayList<>();
        parser.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), format, (index, record) -> {
            assertThat(index).isEqualTo(records.size());
            records.add(record);
        });
        return records;
    }
}
