package ch.cern.alice.lakehouse.query.trino;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One statement over Trino's client protocol, its rows pulled one at a time from the response stream: the gateway
 * holds at most the row being read, never a driver's read-ahead buffer (trino-jdbc queues rows 100 at a time, so a
 * result of 5 MB rows needs half a gigabyte before the first batch is handed over). A value longer than
 * {@code maxValueChars} stops the read with {@link ValueTooLargeException} before it is materialised.
 * <p>
 * Runs as {@code endUser} (Trino's session user; the gateway's principal logs in and impersonates, as the JDBC
 * connections do). Not thread-safe, except {@link #cancel()}, which any thread may call.
 */
public final class TrinoStatementStream implements AutoCloseable {

    private static final int MAX_RETRIES = 5;

    private final TrinoEndpoint endpoint;
    private final JsonMapper json;
    private final Consumer<TrinoStatementStream> onStats;

    private String queryId;
    private URI nextUri;
    private List<Column> columns;
    private Progress progress = Progress.NONE;
    private String error;
    private InputStream body;
    private JsonParser parser;
    private boolean inData;
    private boolean responseDone = true;
    private long lastRowBytes;
    private volatile boolean cancelled;

    private TrinoStatementStream(TrinoEndpoint endpoint, JsonMapper json, Consumer<TrinoStatementStream> onStats) {
        this.endpoint = endpoint;
        this.json = json;
        this.onStats = onStats;
    }

    /**
     * Submits {@code sql} as {@code endUser}; the rows are read with {@link #nextRow()}.
     *
     * @param onStats called with this stream whenever Trino reported new figures (query id, progress)
     */
    public static TrinoStatementStream start(TrinoEndpoint endpoint, JsonMapper json, String endUser, String catalog,
                                             String schema, String sql, Duration timeout,
                                             Consumer<TrinoStatementStream> onStats) throws IOException {
        if (endUser == null || endUser.isBlank() || endUser.equals(endpoint.gatewayUser())) {
            throw new IOException("the user name '" + endUser + "' cannot run queries in Trino: it is the query "
                    + "gateway's own Trino principal");
        }
        TrinoStatementStream stream = new TrinoStatementStream(endpoint, json, onStats);
        HttpRequest.Builder post = endpoint.request(endpoint.base().resolve("/v1/statement"))
                .header("X-Trino-Original-User", endpoint.gatewayUser())
                .header("X-Trino-User", endUser)
                .header("X-Trino-Source", "query-gateway")
                .header("X-Trino-Client-Info", endUser)
                .header("X-Trino-Catalog", catalog)
                .header("X-Trino-Schema", schema)
                .header("X-Trino-Time-Zone", ZoneId.systemDefault().getId())
                .header("X-Trino-Language", Locale.getDefault().toLanguageTag())
                // as trino-jdbc: types with their precision (timestamp(3), not legacy timestamp) and their values
                .header("X-Trino-Client-Capabilities", "PATH,PARAMETRIC_DATETIME,SESSION_AUTHORIZATION")
                .header("X-Trino-Session", "query_max_execution_time=" + Math.max(1, timeout.toMillis()) + "ms")
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(sql));
        stream.open(post.build());
        return stream;
    }

    /** The next row (typed as the JDBC path types them: {@link #value}), or null when the result ended. */
    public List<Object> nextRow() throws IOException {
        while (true) {
            if (cancelled) {
                throw new IOException("cancelled");
            }
            if (responseDone) {
                if (error != null) {
                    throw new TrinoQueryException(error);
                }
                if (nextUri == null) {
                    return null;
                }
                open(endpoint.request(nextUri).GET().build());
                continue;
            }
            JsonToken token = parser.nextToken();
            if (inData) {
                if (token == JsonToken.START_ARRAY) {
                    return readRow();
                }
                inData = false; // END_ARRAY of data
                continue;
            }
            if (token == JsonToken.END_OBJECT || token == null) {
                finishResponse();
                continue;
            }
            readField(parser.currentName());
        }
    }

    /** The estimated in-memory size of the row {@link #nextRow()} returned last (see {@link #estimatedSize}). */
    public long lastRowBytes() {
        return lastRowBytes;
    }

    public List<Column> columns() {
        return columns == null ? List.of() : columns;
    }

    public String queryId() {
        return queryId;
    }

    public Progress progress() {
        return progress;
    }

    /** Ends the query in Trino and stops the read; safe from any thread, more than once. */
    public void cancel() {
        cancelled = true;
        URI uri = nextUri;
        if (uri != null) {
            try {
                endpoint.send(endpoint.request(uri).DELETE().timeout(Duration.ofSeconds(10)).build());
            } catch (IOException | RuntimeException ignored) {
                // the query then ends by Trino's abandoned-query timeout
            }
        }
        InputStream b = body;
        if (b != null) {
            try {
                b.close(); // the reading thread's next read fails and it sees the cancel
            } catch (IOException ignored) {
                // closing a stream that broke
            }
        }
    }

    /** Stops reading; a statement not yet finished in Trino is cancelled there. */
    @Override
    public void close() {
        if (nextUri != null && !cancelled) {
            cancel();
        }
        closeBody();
    }

    private void open(HttpRequest request) throws IOException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<InputStream> response = endpoint.open(request);
            int status = response.statusCode();
            if (status == 200) {
                body = response.body();
                parser = json.createParser(body);
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("Trino answered " + request.uri() + " with something else than a JSON object");
                }
                responseDone = false;
                inData = false;
                nextUri = null;
                return;
            }
            String text = readSome(response.body());
            if ((status == 502 || status == 503 || status == 504) && attempt < MAX_RETRIES && !cancelled) {
                sleep(100L * attempt);
                continue;
            }
            throw new IOException("Trino answered HTTP " + status + " to " + request.method() + " "
                    + request.uri().getPath() + (text.isBlank() ? "" : ": " + text));
        }
    }

    private void readField(String name) throws IOException {
        JsonToken value = parser.nextToken();
        switch (name) {
            case "id" -> queryId = parser.getString();
            case "nextUri" -> nextUri = value == JsonToken.VALUE_NULL ? null : nextUri(parser.getString());
            case "columns" -> columns = columns(parser.readValueAsTree());
            case "data" -> inData = value == JsonToken.START_ARRAY;
            case "stats" -> stats(parser.readValueAsTree());
            case "error" -> error = error(parser.readValueAsTree());
            default -> parser.skipChildren();
        }
    }

    private URI nextUri(String uri) throws IOException {
        URI next = URI.create(uri);
        if (!endpoint.isTrino(next)) {
            throw new IOException("Trino sent a nextUri elsewhere (" + next.getHost() + ":" + next.getPort()
                    + "): not followed");
        }
        return next;
    }

    private List<Object> readRow() throws IOException {
        List<Column> cols = columns();
        List<Object> row = new ArrayList<>(cols.size());
        int c = 0;
        try {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                row.add(value(c < cols.size() ? cols.get(c).type() : "varchar"));
                c++;
            }
        } catch (StreamConstraintsException e) {
            throw new ValueTooLargeException(c < cols.size() ? cols.get(c).name() : "#" + (c + 1), e);
        }
        lastRowBytes = estimatedRowSize(row);
        return row;
    }

    /** A value as the JDBC path gives it: integers as long, floating as double, decimals exact, the rest as text. */
    private Object value(String type) throws JacksonException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        String base = baseType(type);
        switch (base) {
            case "bigint", "integer", "smallint", "tinyint":
                return parser.getLongValue();
            case "double", "real":
                return token == JsonToken.VALUE_STRING ? Double.valueOf(parser.getString()) : parser.getDoubleValue();
            case "decimal":
                return token == JsonToken.VALUE_STRING ? new BigDecimal(parser.getString()) : parser.getDecimalValue();
            case "boolean":
                return parser.getBooleanValue();
            default:
                if (token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) {
                    // the text trino-jdbc's getString gives for arrays, maps and rows (Java's List/Map text)
                    return String.valueOf(parser.readValueAs(Object.class));
                }
                return parser.getString();
        }
    }

    private static String baseType(String type) {
        int paren = type.indexOf('(');
        return (paren < 0 ? type : type.substring(0, paren)).trim().toLowerCase(Locale.ROOT);
    }

    private void finishResponse() {
        responseDone = true;
        closeBody();
        onStats.accept(this);
    }

    private static List<Column> columns(JsonNode node) {
        List<Column> list = new ArrayList<>();
        for (JsonNode c : node) {
            list.add(new Column(c.path("name").asString(), c.path("type").asString()));
        }
        return List.copyOf(list);
    }

    private void stats(JsonNode node) {
        JsonNode percent = node.path("progressPercentage");
        progress = new Progress(percent.isNumber() ? percent.asDouble() : null, node.path("processedRows").asLong(),
                node.path("processedBytes").asLong(), node.path("elapsedTimeMillis").asLong());
        onStats.accept(this);
    }

    /** The message trino-jdbc puts in its SQLException, so that errors read the same on every path. */
    private String error(JsonNode node) {
        return "Query failed (#" + queryId + "): " + node.path("message").asString("Trino reported an error");
    }

    private void closeBody() {
        JsonParser p = parser;
        InputStream b = body;
        parser = null;
        body = null;
        try {
            if (p != null) {
                p.close();
            }
        } catch (RuntimeException ignored) {
            // closing a stream that broke
        }
        try {
            if (b != null) {
                b.close();
            }
        } catch (IOException ignored) {
            // closing a stream that broke
        }
        responseDone = true;
    }

    private static String readSome(InputStream in) {
        try (in) {
            return new String(in.readNBytes(2000), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static final long ROW_OVERHEAD = 16;

    /** Rough in-memory size of a kept row: {@link #estimatedSize} of each value plus the row's own overhead. */
    public static long estimatedRowSize(List<Object> row) {
        long bytes = ROW_OVERHEAD;
        for (Object value : row) {
            bytes += estimatedSize(value);
        }
        return bytes;
    }

    /** Rough size of a kept value: text as UTF-16 (2 bytes a character) plus object overhead, numbers fixed. */
    public static long estimatedSize(Object value) {
        if (value == null) {
            return 8;
        }
        if (value instanceof String s) {
            return 40 + 2L * s.length();
        }
        if (value instanceof BigDecimal d) {
            return 40 + d.unscaledValue().bitLength() / 8;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return 16;
        }
        return 40 + 2L * Objects.toString(value).length();
    }

    /** Trino reported the statement failed; the message is Trino's. */
    public static final class TrinoQueryException extends IOException {
        TrinoQueryException(String message) {
            super(message);
        }
    }

    /** One value of the result is longer than the gateway keeps for a whole result. */
    public static final class ValueTooLargeException extends IOException {
        private final String column;

        ValueTooLargeException(String column, Throwable cause) {
            super("a value of column " + column + " is larger than the result size cap", cause);
            this.column = column;
        }

        public String column() {
            return column;
        }
    }
}
