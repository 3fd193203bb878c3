/** The city's EventBridge bus between the ward stacks (the city stack creates it). */
export const CITY_BUS_NAME = 'mot-cua-so-city';
/** The `source` of every event a ward puts on the city bus: the bus's policy lets each ward put only its own. */
export const wardEventSource = (slug: string) => `mot-cua-so.ward.${slug}`;
