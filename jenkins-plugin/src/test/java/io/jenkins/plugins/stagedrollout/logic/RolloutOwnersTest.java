package io.jenkins.plugins.stagedrollout.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.stagedrollout.logic.RolloutOwners.Standing;
import org.junit.jupiter.api.Test;

class RolloutOwnersTest {
    static final RolloutOwners RULES = RolloutOwners.parse("""
            # the checkout team owns production; ops may roll it back in an emergency
            checkout/production: team-checkout; ops/emergency-rollback
            checkout/*: team-checkout/deploy
            payments/staging: payments/deploy
            """);

    @Test
    void theOwnerJobActs() {
        assertThat(RULES.decide("payments/staging", "payments/deploy").standing()).isEqualTo(Standing.OWNER);
    }

    @Test
    void aFolderOwnsEveryJobInsideIt() {
        assertThat(RULES.decide("checkout/production", "team-checkout/deploy").standing()).isEqualTo(Standing.OWNER);
        assertThat(RULES.decide("checkout/production", "team-checkout/nested/release").standing()).isEqualTo(Standing.OWNER);
    }

    @Test
    void aFolderWhoseNameStartsTheSameIsNotInside() {
        assertThat(RULES.decide("checkout/production", "team-checkout-evil/deploy").standing()).isEqualTo(Standing.REFUSED);
    }

    @Test
    void aGrantedJobActs() {
        assertThat(RULES.decide("checkout/production", "ops/emergency-rollback").standing()).isEqualTo(Standing.GRANTED);
    }

    @Test
    void anotherJobIsRefusedNamingTheOwner() {
        RolloutOwners.Decision d = RULES.decide("checkout/production", "intern/playground");

        assertThat(d.allowed()).isFalse();
        assertThat(d.explain("roll back checkout/production")).contains("belongs to team-checkout")
                .contains("intern/playground is not granted");
    }

    @Test
    void anExactKeyWinsOverItsServiceWildcard() {
        assertThat(RULES.decide("checkout/staging", "team-checkout/deploy").standing()).isEqualTo(Standing.OWNER);
        assertThat(RULES.decide("checkout/staging", "team-checkout/other").standing()).isEqualTo(Standing.REFUSED);
        assertThat(RULES.decide("checkout/production", "team-checkout/other").standing()).isEqualTo(Standing.OWNER);
    }

    @Test
    void aKeyNoRuleNamesIsUnownedUntilClaimed() {
        assertThat(RULES.decide("search/production", "search/deploy").standing()).isEqualTo(Standing.UNOWNED);

        RolloutOwners claimed = RULES.claim("search/production", "search/deploy");

        assertThat(claimed.decide("search/production", "search/deploy").standing()).isEqualTo(Standing.OWNER);
        assertThat(claimed.decide("search/production", "intruder/job").standing()).isEqualTo(Standing.REFUSED);
        assertThat(RolloutOwners.parse(claimed.format()).decide("search/production", "search/deploy").allowed()).isTrue();
    }

    @Test
    void aClaimNeverReplacesARule() {
        RolloutOwners after = RULES.claim("checkout/production", "intruder/job");

        assertThat(after.decide("checkout/production", "intruder/job").standing()).isEqualTo(Standing.REFUSED);
    }

    @Test
    void badLinesAreNamedAndRefusedWhole() {
        assertThat(RolloutOwners.problems("checkout/production\nCheckout/x: job\ncheckout/production: \na/b: c\na/b: d"))
                .containsExactly("line 1: write 'service/environment: owner job or folder'",
                        "line 2: not a rollout key (service/environment) or service/*: the service 'Checkout' is not valid: use 1 to 63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
                        "line 3: name the owner job or folder after ':' (its full name, e.g. team/deploy)",
                        "line 5: a/b already has a rule above");
        assertThatThrownBy(() -> RolloutOwners.parse("checkout/production")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rulesThatDoNotParseRefuseEveryoneAndClaimNothing() {
        RolloutOwners broken = RolloutOwners.broken("line 1: ...");

        assertThat(broken.decide("checkout/production", "team-checkout").standing()).isEqualTo(Standing.REFUSED);
        assertThat(broken.claim("search/production", "search/deploy").decide("search/production", "search/deploy").allowed())
                .isFalse();
    }
}
