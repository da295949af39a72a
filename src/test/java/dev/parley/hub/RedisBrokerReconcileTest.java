package dev.parley.hub;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cluster.LocalRedis;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A takeover on another node whose event this node may have missed (its subscription was down)
 * still closes the replaced member here: after subscribing again, the node compares its members'
 * tokens with Redis's.
 */
class RedisBrokerReconcileTest {

  @Test
  void afterItsSubscriptionIsBackANodeFindsTheMembersTakenOverMeanwhile() throws Exception {
    try (LocalRedis server = LocalRedis.start()) {
      Broker here = RedisBrokerTest.redisBroker(server.uri(), 10);
      Broker there = RedisBrokerTest.redisBroker(server.uri(), 10);
      RecordingListener heard = new RecordingListener();
      here.listen(heard);
      there.listen(new RecordingListener());
      try {
        Member alice = BrokerContract.member("alice");
        Member bob = BrokerContract.member("bob");
        Claim.Admitted claim = admitted(here.join("r", request(alice, null)));
        admitted(here.join("r", request(bob, null)));
        heard.local.add(
            new BrokerListener.LocalRoom("r", claim.replay().epoch(), List.of(alice, bob)));
        admitted(there.join("r", request(BrokerContract.member("alice"), alice.token())));

        assertTrue(server.cutSubscriptions() >= 2);

        assertSame(alice, heard.replaced.poll(20, TimeUnit.SECONDS), "alice, replaced there");
        assertTrue(heard.replaced.isEmpty(), "bob still holds his nick");
      } finally {
        here.close();
        there.close();
      }
    }
  }

  private static JoinRequest request(Member member, String presentedToken) {
    return new JoinRequest(member, presentedToken, 10, null, null, 0, 10);
  }

  private static Claim.Admitted admitted(Claim claim) {
    return assertInstanceOf(Claim.Admitted.class, claim);
  }
}
