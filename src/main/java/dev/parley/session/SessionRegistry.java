package dev.parley.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Who is connected: the echo sessions, and per room its members. Shared by every endpoint; each
 * room has its own lock, so there is no global one.
 */
@ApplicationScoped
public class SessionRegistry {

  /** Reason sent with 1001 to every client when the application stops. */
  public static final String GOING_AWAY = "Server shutting down; reconnect to resume";

  private static final System.Logger LOG = System.getLogger(SessionRegistry.class.getName());

  private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
  private final Set<Session> echoSessions = ConcurrentHashMap.newKeySet();
  private final ConcurrentMap<String, Integer> connectionsPerAddress = new ConcurrentHashMap<>();

  /** Reason sent with 1013 when one address holds too many connections. */
  public static final String TOO_MANY_FROM_ADDRESS = "Too many connections from your address";

  private static final String ADDRESS_SLOT = "parley.addressSlot";

  /**
   * Counts a new connection against its remote address. Over {@code max} (0: no limit), closes it
   * with 1013 and returns false. Every claim is given back by {@link #releaseAddressSlot}.
   */
  public boolean claimAddressSlot(Session session, String address, int max) {
    int count = connectionsPerAddress.merge(address, 1, Integer::sum);
    if (max > 0 && count > max) {
      connectionsPerAddress.computeIfPresent(address, (key, n) -> n == 1 ? null : n - 1);
      Sessions.close(
          session, new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, TOO_MANY_FROM_ADDRESS));
      return false;
    }
    session.getUserProperties().put(ADDRESS_SLOT, address);
    return true;
  }

  /** Gives back the slot a connection claimed, once; nothing if it claimed none. */
  public void releaseAddressSlot(Session session) {
    Object address = session.getUserProperties().remove(ADDRESS_SLOT);
    if (address instanceof String claimed) {
      connectionsPerAddress.computeIfPresent(claimed, (key, n) -> n == 1 ? null : n - 1);
    }
  }

  public void addEcho(Session session) {
    echoSessions.add(session);
  }

  public void removeEcho(Session session) {
    echoSessions.remove(session);
  }

  public int echoSessionCount() {
    return echoSessions.size();
  }

  /** Rooms with at least one member. */
  public int roomCount() {
    return rooms.size();
  }

  /** Whether anyone is in the room now. */
  public boolean hasMembers(String roomName) {
    return rooms.containsKey(roomName);
  }

  /** Members of all rooms. */
  public int memberCount() {
    return rooms.values().stream().mapToInt(room -> room.locked(room::size)).sum();
  }

  /**
   * Asks {@code room} for the candidate's nick and, if admitted, runs {@code onAdmitted} while
   * still holding the room's lock, so that what it queues reaches the member before any later
   * message.
   */
  public <T> T join(
      String roomName,
      Member candidate,
      String presentedToken,
      int maxMembers,
      BiFunction<Room, Room.Admission, T> onAdmission) {
    while (true) {
      Room room = rooms.computeIfAbsent(roomName, Room::new);
      Optional<T> outcome =
          room.locked(
              () -> {
                if (room.retired()) {
                  return Optional.empty(); // emptied and dropped meanwhile: take the fresh one
                }
                Room.Admission admission = room.admit(candidate, presentedToken, maxMembers);
                T result = onAdmission.apply(room, admission);
                if (room.isEmpty()) {
                  retire(room);
                }
                return Optional.of(result);
              });
      if (outcome.isPresent()) {
        return outcome.get();
      }
    }
  }

  /**
   * Removes the member if it still holds its nick and, if so, runs {@code afterLeave} under the
   * room's lock. Returns whether the member was removed.
   */
  public boolean leave(String roomName, Member member, Consumer<Room> afterLeave) {
    Room room = rooms.get(roomName);
    if (room == null) {
      return false;
    }
    return room.locked(
        () -> {
          if (room.retired() || !room.remove(member)) {
            return false;
          }
          afterLeave.accept(room);
          if (room.isEmpty()) {
            retire(room);
          }
          return true;
        });
  }

  /** Runs {@code action} under the room's lock, if the room has members. */
  public <T> Optional<T> inRoom(String roomName, Function<Room, T> action) {
    Room room = rooms.get(roomName);
    if (room == null) {
      return Optional.empty();
    }
    return room.locked(
        () -> room.retired() ? Optional.empty() : Optional.ofNullable(action.apply(room)));
  }

  /**
   * Closes every connection with 1001, so that clients know to reconnect rather than seeing the
   * connection die. Called when the application stops (shutdown or undeploy).
   */
  public void closeAll() {
    List<Session> open = openSessions();
    LOG.log(
        System.Logger.Level.INFO, "Closing {0} connections: the application stops", open.size());
    CloseReason reason = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, GOING_AWAY);
    open.forEach(session -> Sessions.close(session, reason));
  }

  /** Every connection: echo sessions and chat members. */
  public List<Session> openSessions() {
    List<Session> open = new ArrayList<>(echoSessions);
    for (Room room : rooms.values()) {
      room.locked(() -> open.addAll(room.sessions()));
    }
    return open;
  }

  private void retire(Room room) {
    room.retire();
    rooms.remove(room.name(), room);
  }
}
