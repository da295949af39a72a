package dev.parley.session;

/** What an {@link Outbox} reports as it works, for the metrics. */
public interface OutboxEvents {

  /** A frame of {@code chars} characters was handed to the network. */
  void sent(int chars);

  /** The peer fell too far behind and is being closed with 1013. */
  void slowConsumerDropped();

  /** The container did not complete a send in time; the peer is being closed with 1011. */
  void sendTimedOut();

  /** Reports nothing. */
  OutboxEvents NONE =
      new OutboxEvents() {
        @Override
        public void sent(int chars) {}

        @Override
        public void slowConsumerDropped() {}

        @Override
        public void sendTimedOut() {}
      };
}
