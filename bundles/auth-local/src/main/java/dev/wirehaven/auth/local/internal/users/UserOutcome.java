package dev.wirehaven.auth.local.internal.users;

import java.util.List;

/**
 * What a successful {@link UserRequest} produced: the sentence to show, and for a list the users.
 *
 * @param sentence for the operator, one line
 * @param users the users for {@link UserRequest.Operation#LIST}, else null
 */
record UserOutcome(String sentence, List<UserListing> users) {

    /** The text for a terminal: the table for a list, else the sentence. */
    String render() {
        return users != null ? UserListing.table(users) : sentence + "\n";
    }
}
