package dev.parley.config;

/**
 * Every tunable limit of Parley, with its default. A value is looked up, first match wins, as the
 * system property {@code parley.<name>}, the environment variable {@code PARLEY_<NAME>} and the
 * {@code web.xml} context parameter {@code parley.<name>}.
 */
public enum Setting {
  /**
   * Largest text frame accepted on {@code /echo} and {@code /chat}, in bytes; larger closes 1009.
   */
  MAX_TEXT_MESSAGE_BYTES("maxTextMessageBytes", 65_536),
  /** Largest binary frame accepted on {@code /echo}, in bytes; larger closes 1009. */
  MAX_BINARY_MESSAGE_BYTES("maxBinaryMessageBytes", 65_536),
  /** Longest {@code say}/{@code whisper} text, in UTF-16 code units (JavaScript's length). */
  MAX_SAY_CHARS("maxSayChars", 4000),
  /** Messages kept per room for {@code history} and resume. */
  HISTORY_SIZE("historySize", 1000),
  /** Messages a {@code welcome} carries when the client does not resume. */
  WELCOME_HISTORY("welcomeHistory", 50),
  /** Rooms whose history is kept in memory; the least recently used beyond this is forgotten. */
  MAX_ROOMS("maxRooms", 10_000),
  /**
   * Open connections (echo and chat together) from one remote address; the next is closed with
   * 1013. 0 means no limit: behind a reverse proxy every client has the proxy's address.
   */
  MAX_CONNECTIONS_PER_ADDRESS("maxConnectionsPerAddress", 100),
  /** Members one room accepts; the next one is closed with 1013. */
  MAX_MEMBERS_PER_ROOM("maxMembersPerRoom", 5000),
  /** Frames queued for one slow client before it is closed with 1013. */
  MAX_QUEUED_MESSAGES("maxQueuedMessages", 1000),
  /** Characters queued for one slow client before it is closed with 1013. */
  MAX_QUEUED_CHARS("maxQueuedChars", 8_388_608),
  /** Sustained {@code say}/{@code whisper}/{@code typing} frames per second per connection. */
  RATE_PER_SECOND("ratePerSecond", 20),
  /** Frames a connection may send in a burst above the sustained rate. */
  RATE_BURST("rateBurst", 40),
  /** Consecutive {@code rate-limited} errors after which the connection is closed with 1008. */
  RATE_STRIKES("rateStrikes", 50),
  /** Shortest interval between two {@code typing} notices of one member, in milliseconds. */
  TYPING_INTERVAL_MILLIS("typingIntervalMillis", 1000),
  /** How often the server pings every connection, in milliseconds; under common proxy cut-offs. */
  PING_INTERVAL_MILLIS("pingIntervalMillis", 25_000),
  /** A connection that has sent nothing, not even a pong, for this long is closed (1001). */
  HEARTBEAT_TIMEOUT_MILLIS("heartbeatTimeoutMillis", 60_000),
  /**
   * A send that the container has not completed for this long closes its connection with 1011, in
   * milliseconds: longer than the stalls a phone recovers from, shorter than the heartbeat timeout.
   */
  SEND_TIMEOUT_MILLIS("sendTimeoutMillis", 30_000),
  /**
   * With Redis: a room's keys (history, counters, members) expire after it was idle this long; a
   * room with members on a live node never is.
   */
  ROOM_IDLE_MILLIS("roomIdleMillis", 604_800_000),
  /** A room's membership changes are sent as one {@code presence} frame per this interval. */
  PRESENCE_INTERVAL_MILLIS("presenceIntervalMillis", 100),
  /** How many nicks a {@code welcome} names at most; a {@code members} request pages on. */
  PRESENCE_LIST_LIMIT("presenceListLimit", 1000);

  private final String name;
  private final long defaultValue;

  Setting(String name, long defaultValue) {
    this.name = name;
    this.defaultValue = defaultValue;
  }

  /** The name used in {@code web.xml} and system properties, e.g. {@code parley.historySize}. */
  public String propertyName() {
    return "parley." + name;
  }

  /** The environment variable, e.g. {@code PARLEY_HISTORY_SIZE}. */
  public String environmentName() {
    return "PARLEY_" + name();
  }

  public long defaultValue() {
    return defaultValue;
  }
}
