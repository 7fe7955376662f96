package dev.berth.registry.notify;

import dev.berth.registry.config.RegistryConfig.NotificationEndpoint;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** POSTs envelopes with the endpoint's headers and timeout; redirects are followed, as distribution's client does. */
final class HttpDelivery implements Delivery {
  private final NotificationEndpoint endpoint;
  private final HttpClient client;

  HttpDelivery(NotificationEndpoint endpoint) {
    this.endpoint = endpoint;
    this.client = HttpClient.newBuilder()
        .connectTimeout(endpoint.timeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  @Override
  public int post(byte[] envelope) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.url())
        .timeout(endpoint.timeout())
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelope));
    endpoint.headers().forEach((name, values) -> values.forEach(value -> request.header(name, value)));
    request.setHeader("Content-Type", Envelope.MEDIA_TYPE);
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
