package io.streamsgd.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP GETs against the service's endpoints. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** GET {@code http://127.0.0.1:<port><path>}. */
    public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The value of the one sample {@code name{labels}} in a Prometheus text scrape.
     *
     * @throws AssertionError if there is none or more than one
     */
    public static double sample(String scrape, String name, String labels) {
        String prefix = name + "{" + labels + "} ";
        double[] values = scrape.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).toArray();
        if (values.length != 1) {
            throw new AssertionError(values.length + " samples " + prefix + " in the scrape:\n" + scrape);
        }
        return values[0];
    }
}
