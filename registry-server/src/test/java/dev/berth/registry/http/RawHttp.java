package dev.berth.registry.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A hand-driven HTTP/1.1 connection, for tests that must send half a request or stop reading. Every read is bounded. */
final class RawHttp implements AutoCloseable {
  static final int READ_TIMEOUT_MILLIS = 15_000;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** A connection; {@code receiveBuffer} > 0 shrinks the socket's receive buffer (set before connecting). */
  RawHttp(int port, int receiveBuffer) {
    try {
      socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RawHttp(int port) {
    this(port, 0);
  }

  RawHttp send(String text) {
    return send(text.getBytes(ISO_8859_1));
  }

  RawHttp send(byte[] bytes) {
    return send(bytes, 0, bytes.length);
  }

  RawHttp send(byte[] bytes, int offset, int length) {
    try {
      out.write(bytes, offset, length);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A response head: the status code and the headers, names lowercased. */
  record Head(int status, Map<String, String> headers) {
    long contentLength() {
      return Long.parseLong(headers.getOrDefault("content-length", "0"));
    }
  }

  Head readHead() {
    String head = readUntilBlankLine();
    String[] lines = head.split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
    }
    return new Head(Integer.parseInt(lines[0].split(" ")[1]), headers);
  }

  /** A whole response with a Content-Length body. */
  Head readResponse() {
    Head head = readHead();
    readBytes((int) head.contentLength());
    return head;
  }

  byte[] readBytes(int count) {
    try {
      return in.readNBytes(count);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  InputStream input() {
    return in;
  }

  /**
   * Reads until the server closes the connection (at most {@code limit} bytes, each read within the read timeout);
   * returns how many bytes came before the end. Throws when the connection is still open after that.
   */
  long readToEnd(long limit) {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try {
      while (total <= limit) {
        int n = in.read(buffer);
        if (n < 0) {
          return total;
        }
        total += n;
      }
    } catch (java.net.SocketException reset) {
      return total; // a reset is a close too
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("connection still open after " + total + " bytes");
  }

  private String readUntilBlankLine() {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          throw new AssertionError("connection closed inside a response head: " + head.toString(ISO_8859_1));
        }
        head.write(b);
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String text = head.toString(ISO_8859_1);
    return text.substring(0, text.length() - 4);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a test socket
    }
  }
}
