import type { FastifyReply } from 'fastify';

/**
 * For a route whose answer is made from an object a process cache hands out unchanged until it
 * replaces it (the signed-in principal, a page of the staff list): the answer is checked against the
 * route's response schema and serialized once per such object, then sent as that text. A replaced
 * object is a new key, so its answer is made afresh, and the old text goes with the old object.
 */
export function keptAnswers<Key extends object>(answerFor: (key: Key) => unknown) {
  const serialized = new WeakMap<Key, ReturnType<FastifyReply['serialize']>>();
  return (reply: FastifyReply, key: Key) => {
    let json = serialized.get(key);
    if (json === undefined) {
      json = reply.serialize(answerFor(key));
      serialized.set(key, json);
    }
    return reply.type('application/json; charset=utf-8').send(json);
  };
}
