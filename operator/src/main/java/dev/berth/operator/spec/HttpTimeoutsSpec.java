package dev.berth.operator.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Durations in Go's form (60s, 1m30s, 500ms), as the server's config takes them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpTimeoutsSpec {
  static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

  @JsonPropertyDescription("The request line and headers must arrive within this; then 408 and close. Default 60s.")
  @Pattern(DURATION)
  private String header;

  @JsonPropertyDescription("No request-body byte for this long closes the connection; an upload keeps the bytes that"
      + " arrived and can be resumed. Default 60s.")
  @Pattern(DURATION)
  private String body;

  @JsonPropertyDescription("A keep-alive connection with no request for this long is closed. Default 75s.")
  @Pattern(DURATION)
  private String idle;

  @JsonPropertyDescription("A response the client stops reading for this long is abandoned and the connection"
      + " closed. Default 60s.")
  @Pattern(DURATION)
  private String send;

  public String getHeader() {
    return header;
  }

  public void setHeader(String header) {
    this.header = header;
  }

  public String getBody() {
    return body;
  }

  public void setBody(String body) {
    this.body = body;
  }

  public String getIdle() {
    return idle;
  }

  public void setIdle(String idle) {
    this.idle = idle;
  }

  public String getSend() {
    return send;
  }

  public void setSend(String send) {
    this.send = send;
  }
}
