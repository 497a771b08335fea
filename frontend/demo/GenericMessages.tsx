/**
 * The messages the demo has no view of its own for, shown as their schemas describe them: the
 * type's description and each payload field by name (its description on hover). A new type in
 * schemas/ appears here after `make codegen`, with no change to the demo.
 */
import { useEffect, useState, type ReactNode } from "react";
import { SERVER_MESSAGE_CATALOG, type ServerMessage, type ServerMessageType } from "../src/index.js";
import { useWebSocketClient } from "../src/react/index.js";

/** How many such messages stay on the page, newest first. */
export const MAX_GENERIC_MESSAGES = 20;

/** Whether the generic view shows `type`: a type services send that the page does not render itself. */
export function showsGenerically(type: ServerMessageType, renderedElsewhere: ReadonlySet<string>): boolean {
  return SERVER_MESSAGE_CATALOG[type].sentByServices && !renderedElsewhere.has(type);
}

function heading(type: string): string {
  const words = type.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function GenericMessage({ message }: { message: ServerMessage }): ReactNode {
  const described = SERVER_MESSAGE_CATALOG[message.type];
  const payload: Record<string, unknown> = { ...message.payload };
  return (
    <article data-type={message.type} style={{ marginTop: 8, padding: "6px 10px", background: "#f3f4f6" }}>
      <strong>{heading(message.type)}</strong> <span>{described.description}</span>
      <dl style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "2px 12px", margin: "4px 0 0" }}>
        {described.fields
          .filter((field) => field.name in payload)
          .map((field) => [
            <dt key={`${field.name}-name`} title={field.description}>{field.name}</dt>,
            <dd key={`${field.name}-value`} style={{ margin: 0 }}>{JSON.stringify(payload[field.name])}</dd>,
          ])}
      </dl>
    </article>
  );
}

/** Every message of a type in no `renderedElsewhere`, newest first. */
export function GenericMessages({ renderedElsewhere }: { renderedElsewhere: ReadonlySet<string> }): ReactNode {
  const client = useWebSocketClient();
  const [messages, setMessages] = useState<readonly ServerMessage[]>([]);
  useEffect(
    () =>
      client.subscribeAll((message) => {
        if (!showsGenerically(message.type, renderedElsewhere)) return;
        setMessages((current) => [message, ...current].slice(0, MAX_GENERIC_MESSAGES));
      }),
    [client, renderedElsewhere],
  );
  return (
    <section aria-label="other messages" style={{ maxWidth: 520, font: "14px system-ui, sans-serif" }}>
      {messages.map((message) => (
        <GenericMessage key={message.id} message={message} />
      ))}
    </section>
  );
}
