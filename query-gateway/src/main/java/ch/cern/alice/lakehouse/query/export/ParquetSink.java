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
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parquet written straight to the HTTP response: parquet-hadoop's writer on an {@link OutputFile} that only
 * appends (Parquet needs no seeking). Row groups are flushed as they fill, so memory stays at one row group.
 * Column types follow the result's SQL types ({@link ParquetColumn}).
 */
public class ParquetSink implements RowSink {

    private static final int ROW_GROUP_BYTES = 16 * 1024 * 1024;

    private final OutputStream out;

    public ParquetSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public long write(ResultSet rs, long maxRows) throws SQLException, IOException {
        ResultSetMetaData meta = rs.getMetaData();
        List<ParquetColumn> columns = new ArrayList<>(meta.getColumnCount());
        Types.MessageTypeBuilder schema = Types.buildMessage();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            ParquetColumn column = ParquetColumn.of(meta, c);
            column.declare(schema);
            columns.add(column);
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
                if (rows >= maxRows) {
                    throw new ExportTooLargeException(maxRows);
                }
                Group row = groups.newGroup();
                for (ParquetColumn column : columns) {
                    column.append(row, rs);
                }
                writer.write(row);
                rows++;
            }
        }
        return rows;
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
