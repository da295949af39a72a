package dev.parley.chat;

/** The state that several nodes share cannot be reached now; the request was not carried out. */
public class RoomsUnavailableException extends RuntimeException {

  public RoomsUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
