package ch.cern.alice.lakehouse.collector.config;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectorPropertiesTest {

    @Test
    void defaultsAreAOneMebibyteRecordLimitWith64KibibytesOfKafkaRoomAboveIt() {
        CollectorProperties defaults = properties(null, null);
        assertThat(defaults.maxRecordBytes().toBytes()).isEqualTo(1_048_576);
        assertThat(defaults.kafkaMaxMessageBytes().toBytes()).isEqualTo(1_048_576 + 65_536);
    }

    @Test
    void aKafkaMessageLimitWithoutRoomForTheLargestRecordStopsTheStartNamingBothSettings() {
        assertThatThrownBy(() -> properties(DataSize.ofMegabytes(2), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LAKEHOUSE_KAFKA_MAX_MESSAGE_BYTES").hasMessageContaining("1114112")
                .hasMessageContaining("COLLECTOR_MAX_RECORD_BYTES").hasMessageContaining("2097152")
                .hasMessageContaining("message.max.bytes");
        assertThat(properties(DataSize.ofMegabytes(2), DataSize.ofBytes(2_097_152 + 1024)).maxRecordBytes())
                .isEqualTo(DataSize.ofMegabytes(2));
    }

    private static CollectorProperties properties(DataSize maxRecordBytes, DataSize kafkaMaxMessageBytes) {
        return new CollectorProperties(null, null, null, null, null, null, null, null, null, maxRecordBytes,
                kafkaMaxMessageBytes);
    }
}
