package dev.parley.hub;

import dev.parley.message.ServerMessage.ChatMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A broker that a test can hold up or fail right after it claimed a nick, as a slow or cut network
 * to Redis would: the claim is made, its reply is late or lost.
 */
final class PausingBroker implements Broker {

  private final Broker broker;
  private volatile CountDownLatch claimed;
  private final CountDownLatch resumed = new CountDownLatch(1);
  private volatile boolean failNext;

  PausingBroker(Broker broker) {
    this.broker = broker;
  }

  /** The next join stops after its claim until {@link #resume}; the latch opens at the claim. */
  CountDownLatch pauseNextJoinAfterClaim() {
    claimed = new CountDownLatch(1);
    return claimed;
  }

  void resume() {
    resumed.countDown();
  }

  /** The next join claims its nick, then throws as if the reply was lost. */
  void failNextJoinAfterClaim() {
    failNext = true;
  }

  @Override
  public Claim join(String room, JoinRequest request) {
    Claim claim = broker.join(room, request);
    CountDownLatch pause = claimed;
    if (pause != null) {
      claimed = null;
      pause.countDown();
      try {
        if (!resumed.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never resumed the join");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    if (failNext) {
      failNext = false;
      throw new BrokerUnavailableException("reply lost", null);
    }
    return claim;
  }

  @Override
  public void listen(BrokerListener listener) {
    broker.listen(listener);
  }

  @Override
  public void leave(String room, Member member) {
    broker.leave(room, member);
  }

  @Override
  public Said say(String room, Member member, String text, String cid) {
    return broker.say(room, member, text, cid);
  }

  @Override
  public Optional<String> whisper(String room, String nickKey, Function<String, String> frameFor) {
    return broker.whisper(room, nickKey, frameFor);
  }

  @Override
  public boolean relay(String room, String token, String frame) {
    return broker.relay(room, token, frame);
  }

  @Override
  public void typing(String room, String name) {
    broker.typing(room, name);
  }

  @Override
  public List<ChatMessage> before(String room, long before, int limit) {
    return broker.before(room, before, limit);
  }

  @Override
  public Roster members(String room, String afterKey, int limit) {
    return broker.members(room, afterKey, limit);
  }

  @Override
  public List<ChatMessage> after(String room, long after) {
    return broker.after(room, after);
  }

  @Override
  public String epoch(String room) {
    return broker.epoch(room);
  }

  @Override
  public void close() {
    broker.close();
  }
}
