package dev.parley.session;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;

/** The close codes Parley uses beyond RFC 6455's own, and the reasons it sends with them. */
public final class CloseCodes {

  /** 4001: the member connected again with its token; this older connection is replaced. */
  public static final CloseCode REPLACED = CloseReason.CloseCodes.getCloseCode(4001);

  /** 4400: the room or nick in the URL is not valid. */
  public static final CloseCode BAD_NAME = CloseReason.CloseCodes.getCloseCode(4400);

  /** 4409: someone else in the room holds that nick. */
  public static final CloseCode NICK_TAKEN = CloseReason.CloseCodes.getCloseCode(4409);

  private CloseCodes() {}
}
