package io.peersync.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Requests the reader page ({@code reader.php}, which boots WordPress and so loads every file of the active plugin
 * {@link BigPlugin}) in a loop from one base URL, a node's PHP server or a load balancer, and classifies every
 * answer: one whole version of the plugin, or bad (a PHP fatal, a missing or inactive plugin, a mix of versions).
 * Through a load balancer, the {@code X-Served-By} header names the node that answered.
 */
final class PluginReader extends Thread {
    static final String SERVED_BY = "X-Served-By";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: when it was asked for, its status and body, the whole version it showed (0: none), who gave it. */
    record Response(double epochSeconds, int status, String body, int whole, String servedBy) {
    }

    final List<Response> responses = new CopyOnWriteArrayList<>();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean stop;

    PluginReader(String base) {
        super("wordpress-reader " + base);
        this.base = base;
        setDaemon(true);
    }

    @Override
    public void run() {
        while (!stop) {
            double at = System.currentTimeMillis() / 1000.0;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/reader.php"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                responses.add(new Response(at, r.statusCode(), r.body(), whole(r),
                        r.headers().firstValue(SERVED_BY).orElse("")));
            } catch (IOException e) {
                responses.add(new Response(at, -1, e.toString(), 0, ""));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The version served when the answer is one whole version of the plugin, else 0. */
    private static int whole(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            return 0;
        }
        try {
            JsonNode j = JSON.readTree(r.body());
            if (!j.path("active").asBoolean() || !j.path("main").isInt()) {
                return 0;
            }
            int v = j.get("main").asInt();
            Map<String, Integer> loaded = new TreeMap<>();
            j.path("loaded").fields().forEachRemaining(e -> loaded.put(e.getKey(), e.getValue().asInt()));
            return loaded.equals(Map.of(String.valueOf(v), BigPlugin.FILES - 1)) ? v : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    int lastWhole() {
        return responses.isEmpty() ? 0 : responses.get(responses.size() - 1).whole();
    }

    /** The whole version in the last answer that {@code node} gave, 0 if none yet or it was bad. */
    int lastWholeFrom(String node) {
        for (int i = responses.size() - 1; i >= 0; i--) {
            if (responses.get(i).servedBy().equals(node)) {
                return responses.get(i).whole();
            }
        }
        return 0;
    }

    /** Answers that loaded the whole plugin, but files of both versions. */
    List<String> mixed() {
        return bad().stream().filter(b -> b.matches(
                        "\\S* ?200 \\{\"main\":\\d+,\"loaded\":\\{\"[12]\":\\d+,\"[12]\":\\d+\\}.*"))
                .toList();
    }

    /** Every answer that was not one whole version, as "[node ]status body". */
    List<String> bad() {
        List<String> out = new ArrayList<>();
        for (Response r : responses) {
            if (r.whole() == 0) {
                out.add((r.servedBy().isEmpty() ? "" : r.servedBy() + " ") + r.status() + " "
                        + r.body().substring(0, Math.min(300, r.body().length())));
            }
        }
        return out;
    }

    void finish() throws InterruptedException {
        stop = true;
        join(60_000);
    }
}
