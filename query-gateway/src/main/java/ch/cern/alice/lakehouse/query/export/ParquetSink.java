package ch.cern.alice.lakehouse.query.export;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Parquet written straight to the HTTP response: parquet-hadoop's writer on an {@link OutputFile} that only
 * appends (Parquet needs no seeking). Row groups are flushed as they fill, so memory stays at one row group.
 * Integers and floating point keep their type; every other column is a UTF-8 string.
 */
public class ParquetSink implements RowSink {

    private static final int ROW_GROUP_BYTES = 16 * 1024 * 1024;

    private final OutputStream out;

    public ParquetSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public long write(ResultSet rs) throws SQLException, IOException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        ColumnKind[] kinds = new ColumnKind[n];
        Types.MessageTypeBuilder schema = Types.buildMessage();
        for (int c = 1; c <= n; c++) {
            kinds[c - 1] = ColumnKind.of(meta.getColumnType(c));
            String name = meta.getColumnLabel(c);
            switch (kinds[c - 1]) {
                case LONG -> schema.optional(PrimitiveTypeName.INT64).named(name);
                case DOUBLE -> schema.optional(PrimitiveTypeName.DOUBLE).named(name);
                case BOOLEAN -> schema.optional(PrimitiveTypeName.BOOLEAN).named(name);
                case STRING -> schema.optional(PrimitiveTypeName.BINARY)
                        .as(LogicalTypeAnnotation.stringType()).named(name);
            }
        }
        MessageType messageType = schema.named("result");
        SimpleGroupFactory groups = new SimpleGroupFactory(messageType);
        long rows = 0;
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new StreamOutputFile(out))
                .withConf(new Configuration(false))
                .withType(messageType)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .build()) {
            while (rs.next()) {
                Group g = groups.newGroup();
                for (int c = 1; c <= n; c++) {
                    String name = meta.getColumnLabel(c);
                    switch (kinds[c - 1]) {
                        case LONG -> {
                            long v = rs.getLong(c);
                            if (!rs.wasNull()) {
                                g.append(name, v);
                            }
                        }
                        case DOUBLE -> {
                            double v = rs.getDouble(c);
                            if (!rs.wasNull()) {
                                g.append(name, v);
                            }
                        }
                        case BOOLEAN -> {
                            boolean v = rs.getBoolean(c);
                            if (!rs.wasNull()) {
                                g.append(name, v);
                            }
                        }
                        case STRING -> {
                            String v = rs.getString(c);
                            if (v != null) {
                                g.append(name, v);
                            }
                        }
                    }
                }
                writer.write(g);
                rows++;
            }
        }
        return rows;
    }

    private enum ColumnKind {
        LONG, DOUBLE, BOOLEAN, STRING;

        static ColumnKind of(int jdbcType) {
            return switch (jdbcType) {
                case java.sql.Types.BIGINT, java.sql.Types.INTEGER, java.sql.Types.SMALLINT,
                     java.sql.Types.TINYINT -> LONG;
                case java.sql.Types.DOUBLE, java.sql.Types.REAL, java.sql.Types.FLOAT -> DOUBLE;
                case java.sql.Types.BOOLEAN -> BOOLEAN;
                default -> STRING;
            };
        }
    }

    /** An append-only Parquet output on any stream; the writer asks for the position only to record offsets. */
    private static final class StreamOutputFile implements OutputFile {
        private final OutputStream out;

        StreamOutputFile(OutputStream out) {
            this.out = out;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                private long position;

                @Override
                public long getPos() {
                    return position;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    position++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    position += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.flush(); // the servlet container owns the response stream
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }
}
