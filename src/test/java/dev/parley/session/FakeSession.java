package dev.parley.session;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Session} without a container, for unit tests. Its async remote records every {@code
 * sendText(String, SendHandler)} and leaves it in flight until the test completes it ({@link
 * #completeNext}, {@link #failNext}); {@link #completeInline} makes later sends complete on the
 * calling thread, as some containers do, and {@link #throwOnSend} makes them throw. Closes are
 * recorded, and the session is no longer open after the first. Other methods throw {@link
 * UnsupportedOperationException}.
 */
public final class FakeSession implements Session {

  /** This session as the chat's peer, from 127.0.0.1. */
  public WebSocketPeer peer() {
    return new WebSocketPeer(this, "127.0.0.1");
  }

  private static final long AWAIT_SECONDS = 10;

  private final String id;
  private final Map<String, Object> userProperties = new ConcurrentHashMap<>();
  private final List<String> sent = new ArrayList<>();
  private final Deque<Pending> inFlight = new ArrayDeque<>();
  private final List<String> log = new ArrayList<>();
  private final List<CloseReason> closes = new ArrayList<>();
  private final CompletableFuture<CloseReason> firstClose = new CompletableFuture<>();
  private final FakeAsync async = new FakeAsync();
  private boolean open = true;
  private boolean inline;
  private boolean refuseCloseWhileSending;
  private RuntimeException throwOnSend;
  private int deepestSendStack;

  public FakeSession(String id) {
    this.id = id;
  }

  public FakeSession() {
    this("fake");
  }

  // What the test drives

  /** Completes the oldest send in flight successfully, on the calling thread. */
  public void completeNext() {
    take("done:").handler.onResult(new SendResult());
  }

  /** Completes the oldest send in flight with the given error, on the calling thread. */
  public void failNext(Throwable error) {
    take("failed:").handler.onResult(new SendResult(error));
  }

  /** From now on, each send completes successfully inside {@code sendText}, on the caller. */
  public synchronized void completeInline() {
    inline = true;
  }

  /** From now on, {@code close} throws while a send is in flight, as Tomcat's does. */
  public synchronized void refuseCloseWhileSending() {
    refuseCloseWhileSending = true;
  }

  /** From now on, {@code sendText} throws this (as containers do for a session being closed). */
  public synchronized void throwOnSend(RuntimeException error) {
    throwOnSend = error;
  }

  // What the test reads

  /** Every text handed to {@code sendText}, in order, whether completed or not. */
  public synchronized List<String> sent() {
    return List.copyOf(sent);
  }

  /** How many sends were handed over and not completed yet. */
  public synchronized int inFlight() {
    return inFlight.size();
  }

  /**
   * What happened, in order: {@code "send:<text>"}, {@code "done:<text>"} and {@code
   * "failed:<text>"} (completions, inline ones included), {@code "close:<code>"}.
   */
  public synchronized List<String> log() {
    return List.copyOf(log);
  }

  /** Every {@code close(...)} call's reason, in order. */
  public synchronized List<CloseReason> closes() {
    return List.copyOf(closes);
  }

  /** The deepest call stack (in frames) any {@code sendText} call was made from. */
  public synchronized int deepestSendStack() {
    return deepestSendStack;
  }

  /**
   * Waits (up to 10 s) for the first close, which may happen on another thread, and returns its
   * reason. Fails with {@link TimeoutException} if the session was not closed in time.
   */
  public CloseReason awaitClose()
      throws InterruptedException, ExecutionException, TimeoutException {
    return firstClose.get(AWAIT_SECONDS, TimeUnit.SECONDS);
  }

  private synchronized Pending take(String outcome) {
    Pending next = inFlight.poll();
    if (next == null) {
      throw new IllegalStateException("No send in flight");
    }
    log.add(outcome + next.text);
    return next;
  }

  private record Pending(String text, SendHandler handler) {}

  private final class FakeAsync implements RemoteEndpoint.Async {

    @Override
    public void sendText(String text, SendHandler handler) {
      boolean completeNow;
      synchronized (FakeSession.this) {
        int depth = StackWalker.getInstance().walk(frames -> (int) frames.count());
        deepestSendStack = Math.max(deepestSendStack, depth);
        if (throwOnSend != null) {
          throw throwOnSend;
        }
        sent.add(text);
        log.add("send:" + text);
        completeNow = inline;
        if (completeNow) {
          log.add("done:" + text);
        } else {
          inFlight.add(new Pending(text, handler));
        }
      }
      if (completeNow) {
        handler.onResult(new SendResult());
      }
    }

    @Override
    public long getSendTimeout() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setSendTimeout(long timeoutMillis) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> sendText(String text) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> sendBinary(ByteBuffer data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void sendBinary(ByteBuffer data, SendHandler handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> sendObject(Object data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void sendObject(Object data, SendHandler handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setBatchingAllowed(boolean allowed) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean getBatchingAllowed() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void flushBatch() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void sendPing(ByteBuffer applicationData) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void sendPong(ByteBuffer applicationData) {
      throw new UnsupportedOperationException();
    }
  }

  // Session: what the fake supports

  @Override
  public RemoteEndpoint.Async getAsyncRemote() {
    return async;
  }

  @Override
  public String getId() {
    return id;
  }

  @Override
  public synchronized boolean isOpen() {
    return open;
  }

  @Override
  public Map<String, Object> getUserProperties() {
    return userProperties;
  }

  @Override
  public void close() {
    close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
  }

  @Override
  public void close(CloseReason reason) {
    synchronized (this) {
      if (refuseCloseWhileSending && !inFlight.isEmpty()) {
        throw new IllegalStateException("a message is being sent"); // as Tomcat does
      }
      open = false;
      closes.add(reason);
      log.add("close:" + reason.getCloseCode().getCode());
    }
    firstClose.complete(reason);
  }

  // Session: unsupported

  @Override
  public WebSocketContainer getContainer() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void addMessageHandler(MessageHandler handler) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Whole<T> handler) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Partial<T> handler) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Set<MessageHandler> getMessageHandlers() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void removeMessageHandler(MessageHandler handler) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String getProtocolVersion() {
    throw new UnsupportedOperationException();
  }

  @Override
  public String getNegotiatedSubprotocol() {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<Extension> getNegotiatedExtensions() {
    throw new UnsupportedOperationException();
  }

  @Override
  public boolean isSecure() {
    throw new UnsupportedOperationException();
  }

  @Override
  public long getMaxIdleTimeout() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setMaxIdleTimeout(long milliseconds) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setMaxBinaryMessageBufferSize(int length) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int getMaxBinaryMessageBufferSize() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setMaxTextMessageBufferSize(int length) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int getMaxTextMessageBufferSize() {
    throw new UnsupportedOperationException();
  }

  @Override
  public RemoteEndpoint.Basic getBasicRemote() {
    throw new UnsupportedOperationException();
  }

  @Override
  public URI getRequestURI() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Map<String, List<String>> getRequestParameterMap() {
    throw new UnsupportedOperationException();
  }

  @Override
  public String getQueryString() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Map<String, String> getPathParameters() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Principal getUserPrincipal() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Set<Session> getOpenSessions() {
    throw new UnsupportedOperationException();
  }
}
