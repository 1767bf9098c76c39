import { defineMessages, from } from '@conecta/service-kit/errors';

/**
 * The partners service's error messages in Spanish, by reason code
 * (`extensions.reason`; issue 14). English is the message at the throw site;
 * each `from()` reads the values of the English message into the Spanish one.
 * test/domain/messages.test.ts fails, naming the code, when a code thrown
 * under src/ has no entry here.
 */
export const partnersMessages = defineMessages({
  // A webhook's URL (the SSRF rule, subscription.ts).
  WEBHOOK_URL_NOT_ALLOWED: [
    from('must be an absolute URL', 'debe ser una URL absoluta'),
    from('must not carry credentials', 'no debe llevar credenciales'),
    from(
      'must use https (http only to localhost, outside production)',
      'debe usar https (http solo hacia localhost, fuera de producción)',
    ),
    from('must use https', 'debe usar https'),
    from('must not point at this machine', 'no debe apuntar a esta máquina'),
    from(
      'must not name a private address',
      'no debe indicar una dirección privada',
    ),
    from('must be a public host name', 'debe ser un nombre de host público'),
  ],
  // Who may act.
  NOT_ACTING_FOR_ORGANIZATION: [
    from(
      'Webhook subscriptions belong to an organization: act for one (an API key or a token with its organization)',
      'Las suscripciones a webhooks pertenecen a una organización: actúe en nombre de una (una clave de API o un token con su organización)',
    ),
    from(
      'You subscribe for your own organization only',
      'Solo puede suscribirse en nombre de su propia organización',
    ),
  ],
  UNAUTHENTICATED: from(
    'Sign in to manage webhook subscriptions',
    'Inicie sesión para administrar las suscripciones a webhooks',
  ),
  ORGANIZATION_REQUIRED:
    'un administrador indica la organización a la que corresponde la suscripción',
  // Deliveries.
  DELIVERY_PENDING: 'La entrega sigue esperando su siguiente intento',
  // What inputs name.
  WEBHOOK_SUBSCRIPTION_NOT_FOUND: from(
    'WebhookSubscription {id} not found',
    'No existe la suscripción a webhook {id}',
  ),
  WEBHOOK_DELIVERY_NOT_FOUND: from(
    'WebhookDelivery {id} not found',
    'No existe la entrega de webhook {id}',
  ),
  // Concurrent changes.
  WEBHOOK_SUBSCRIPTION_CHANGED_CONCURRENTLY:
    'La suscripción cambió mientras se hacía este cambio: intente de nuevo',
  WEBHOOK_DELIVERY_CHANGED_CONCURRENTLY:
    'La entrega cambió mientras se reenviaba: intente de nuevo',
  // The schemas' own field messages (beside service-kit's generic ones).
  INVALID_INPUT: from(
    'must name at least one kind',
    'debe indicar al menos un tipo',
  ),
});
