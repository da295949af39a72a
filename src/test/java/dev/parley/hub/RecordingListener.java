package dev.parley.hub;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a broker publishes; a broker may publish on another thread, so tests wait. */
final class RecordingListener implements BrokerListener {

  record Published(String room, BrokerEvent event) {}

  private final BlockingQueue<Published> events = new LinkedBlockingQueue<>();
  final List<String> resets = new ArrayList<>();

  /** What {@link #localMembers} answers: the members this node has, as the test sets them. */
  final List<LocalRoom> local = new CopyOnWriteArrayList<>();

  /** The members the broker said were replaced while it could not tell. */
  final BlockingQueue<Member> replaced = new LinkedBlockingQueue<>();

  @Override
  public void event(String room, BrokerEvent event) {
    events.add(new Published(room, event));
  }

  @Override
  public boolean catchUp() {
    return true;
  }

  @Override
  public boolean catchUp(String room) {
    return true;
  }

  @Override
  public synchronized void reset(String room, String reason) {
    resets.add(room + ": " + reason);
  }

  @Override
  public void replaced(String room, Member member) {
    replaced.add(member);
  }

  @Override
  public void roomFull(String room, Member member) {}

  @Override
  public List<LocalRoom> localMembers() {
    return List.copyOf(local);
  }

  /** The next event published in {@code room} (others are skipped), of the given kind. */
  <T extends BrokerEvent> T next(String room, Class<T> kind) throws InterruptedException {
    while (true) {
      Published published = events.poll(10, TimeUnit.SECONDS);
      assertNotNull(published, "no event of " + kind.getSimpleName() + " within 10 s");
      if (published.room().equals(room) && !(published.event() instanceof BrokerEvent.Typing)) {
        return assertInstanceOf(kind, published.event());
      }
    }
  }
}
