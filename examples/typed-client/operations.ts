/**
 * The operations a charging app's screens would send, written once as `graphql()` calls. Codegen reads
 * this file (codegen.ts) and types each call's result and variables from the text, so a field the
 * schema lacks, or a variable of the wrong type, fails tsc here and wherever the result is used.
 */
import { graphql } from './__generated__/gql.js';

/** A charge point's page: where it stands and what can be plugged into it. */
export const ChargePointDetails = graphql(`
  query ChargePointDetails($id: ID!) {
    chargePoint(id: $id) {
      id
      name
      status
      networkStatus
      location {
        id
        city
        name {
          locale
          translation
        }
      }
      evses {
        id
        networkId
        physicalReference
        currentType
        status
        connectors {
          id
          type
          format
        }
      }
    }
  }
`);

/** A history list, newest first, read a page at a time by passing the last `endCursor` as `after`. */
export const RecentSessions = graphql(`
  query RecentSessions($first: Int!, $after: String) {
    sessions(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        status
        startedAt
        stoppedAt
        chargePoint {
          id
          name
        }
      }
    }
  }
`);

/** A filtered listing: the filter is a typed input object (ChargePointFilter), built by the caller. */
export const ChargePointsMatching = graphql(`
  query ChargePointsMatching($filter: ChargePointFilter!, $first: Int = 50) {
    chargePoints(filter: $filter, first: $first) {
      nodes {
        id
        name
        status
        locationId
      }
    }
  }
`);

/** A write: the payload carries the stored record, or userErrors when AMPECO refused the input. */
export const RenameChargePoint = graphql(`
  mutation RenameChargePoint($id: ID!, $name: String!) {
    updateChargePoint(id: $id, input: { name: $name }) {
      chargePoint {
        id
        name
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);
