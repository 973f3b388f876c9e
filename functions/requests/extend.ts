import { organiserEmails } from "../alliance/load";
import type { AllianceDraft } from "../domain";
import { partnerLink } from "../links/links";
import { hashSecret, newSecret } from "../links/secret";
import { notify, sendOne } from "../mail/notify";
import { deadlineExtended, roundExtended } from "../mail/templates";
import { now, nowIso } from "../shared/time";
import {
  type Actor,
  addSecretHash,
  extendOutcome,
  getOutcome,
  listRequests,
  type OutcomeRef,
  type RequestRecord,
  undoExtension,
} from "../store";
import { DEADLINE_EXTENDED_ERROR } from "./payloads";
import { requestKind } from "./registry";
import { failTask } from "./resume";

const DAY_MS = 86_400_000;

/** Why a partner's deadline did not move, from its outcome as it is now. */
async function whyUnchanged(ref: OutcomeRef): Promise<string> {
  const outcome = await getOutcome(ref);
  switch (outcome?.status) {
    case "DECIDED":
      return "it answered";
    case "MISSED":
      return "its deadline passed";
    case "OPEN":
      return "its deadline was being changed at the same time (another extension, or its workflow asking again): run the command again if it still needs more time";
    default:
      return `its request is ${outcome?.status ?? "gone"}`;
  }
}

/** A round still waiting for answers: one workflow instance asking for one kind of decision. */
export interface PendingRound {
  /** How an admin names it (see roundIdOf). */
  id: string;
  kind: string;
  /** Its open requests (deadline not passed), oldest first. */
  requests: RequestRecord[];
}

/** How an admin names the round a request belongs to: "<instance>/<kind>", e.g. "formation-v0001/charter-approval". */
export function roundIdOf(request: Pick<RequestRecord, "instance" | "kind">): string {
  return `${request.instance}/${request.kind}`;
}

/** The alliance's rounds that still wait for someone: open requests whose deadline has not passed, by round. */
export async function pendingRounds(allianceId: string): Promise<PendingRound[]> {
  const at = now();
  const rounds = new Map<string, PendingRound>();
  for (const request of await listRequests(allianceId)) {
    if (request.status !== "OPEN" || Date.parse(request.deadline) <= at) continue;
    const id = roundIdOf(request);
    const round = rounds.get(id) ?? { id, kind: request.kind, requests: [] };
    round.requests.push(request);
    rounds.set(id, round);
  }
  return [...rounds.values()];
}

/** What an extension did: each partner whose deadline moved (and to when), and those whose request had closed. */
export interface Extension {
  round: string;
  /** The round's last deadline now; absent when no partner's deadline moved. */
  deadline?: string;
  extended: { partnerId: string; deadline: string; contacts: string[] }[];
  closed: { partnerId: string; why: string }[];
}

/**
 * Moves a pending round's deadline `days` later for every partner it still waits for: each open outcome and its
 * requests move in one write, the waiting task is failed with DEADLINE_EXTENDED_ERROR so its step asks again with
 * the new timeout (no second request email), each contact still asked gets the new deadline with a fresh link, and
 * the organiser hears whom the round waits for. A partner whose request closed meanwhile (decided, or its deadline
 * passed) is left as it is and listed as closed.
 */
export async function extendRound(input: {
  allianceId: string;
  draft: AllianceDraft;
  round: PendingRound;
  days: number;
  reason?: string;
  actor: Actor;
}): Promise<Extension> {
  const { draft, round, days, actor } = input;
  const spec = requestKind(round.kind);
  const byMs = days * DAY_MS;
  const result: Extension = { round: round.id, extended: [], closed: [] };
  const byPartner = new Map<string, RequestRecord[]>();
  for (const request of round.requests)
    byPartner.set(request.respondent, [...(byPartner.get(request.respondent) ?? []), request]);
  // The round's last deadline before and after: what the organiser reads as "moved to … (it was …)".
  let was = "";
  for (const requests of byPartner.values()) {
    const [first] = requests;
    if (first === undefined) continue;
    const partner = draft.partners.find((p) => p.id === first.partnerId);
    const outcome = await getOutcome(first);
    if (outcome?.status !== "OPEN") {
      result.closed.push({ partnerId: first.partnerId, why: await whyUnchanged(first) });
      continue;
    }
    const deadline = new Date(Date.parse(outcome.deadline) + byMs).toISOString();
    const who = partner?.name ?? first.partnerId;
    const moved = await extendOutcome({
      outcome,
      requests,
      byMs,
      taskToken: first.taskToken,
      event: {
        at: nowIso(),
        type: "request.extended",
        summary: `Extended ${who}'s ${spec.words.noun} deadline by ${days} day${days === 1 ? "" : "s"} to ${deadline}${input.reason ? `: ${input.reason}` : ""}`,
        actor,
        data: {
          instance: first.instance,
          kind: first.kind,
          partnerId: first.partnerId,
          was: outcome.deadline,
          deadline,
        },
      },
    });
    if (!moved) {
      result.closed.push({ partnerId: first.partnerId, why: await whyUnchanged(first) });
      continue;
    }
    // The waiting task's timeout was fixed when it started: fail it, and the step asks again with the new one.
    const seconds = Math.max(1, Math.ceil((Date.parse(deadline) - now()) / 1000));
    const { closed } = await failTask(first.taskToken, DEADLINE_EXTENDED_ERROR, String(seconds));
    if (closed) {
      // The task no longer waited (its deadline passed, an answer reached it, or another extension failed it first):
      // the records go back to what the workflow does.
      await undoExtension({
        outcome,
        requests,
        byMs,
        event: {
          at: nowIso(),
          type: "request.extension-undone",
          summary: `${who}'s ${spec.words.noun} deadline stays ${outcome.deadline}: its workflow no longer waited on it (${closed})`,
          actor,
          data: {
            instance: first.instance,
            kind: first.kind,
            partnerId: first.partnerId,
            stepFunctions: closed,
          },
        },
      });
      result.closed.push({ partnerId: first.partnerId, why: await whyUnchanged(first) });
      continue;
    }
    result.extended.push({
      partnerId: first.partnerId,
      deadline,
      contacts: requests.map((r) => r.contactEmail),
    });
    if (result.deadline === undefined || deadline > result.deadline) {
      result.deadline = deadline;
      was = outcome.deadline;
    }
    if (!partner) continue;
    for (const request of requests) {
      const secret = newSecret();
      if (!(await addSecretHash(request, hashSecret(secret)))) continue;
      await sendOne(
        { id: request.allianceId, draft },
        request.contactEmail,
        deadlineExtended({
          allianceName: draft.name,
          words: spec.words,
          contactName: request.contactName,
          partnerName: partner.name,
          link: partnerLink(request.requestId, secret),
          deadline,
          was: request.deadline,
          ...(input.reason ? { reason: input.reason } : {}),
        }),
        actor,
        { concernLinks: !spec.whileForming },
      );
    }
  }
  if (result.deadline !== undefined) {
    const pending = result.extended.map(({ partnerId, contacts }) => {
      const name = draft.partners.find((p) => p.id === partnerId)?.name ?? partnerId;
      return `${name} (${contacts.join(", ")})`;
    });
    await notify(
      { id: input.allianceId, draft },
      organiserEmails(draft),
      roundExtended({
        allianceName: draft.name,
        words: spec.words,
        deadline: result.deadline,
        was,
        pending,
        ...(input.reason ? { reason: input.reason } : {}),
      }),
      actor,
    );
  }
  return result;
}
