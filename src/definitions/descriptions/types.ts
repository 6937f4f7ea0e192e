/** Our own descriptions of one domain's types, beside what the contract says about their shapes. */
export interface DomainDescriptions {
  /** GraphQL type name -> what one record of it is, in a sentence or two. */
  types: Record<string, string>;
  /**
   * GraphQL type name -> record property -> description, for fields whose name alone does not say
   * what they hold (units, time zones, who sets them, what null means).
   */
  fields: Record<string, Record<string, string>>;
}
