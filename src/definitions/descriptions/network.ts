import type { DomainDescriptions } from './types.js';

/**
 * Our own descriptions of the charging-network, hardware and energy types: what one record is, and
 * what the less self-explanatory fields hold. Reference ids (`...Id`) are left to the generator.
 */
export const networkDescriptions: DomainDescriptions = {
  types: {
    // Charging network
    Authorization:
      'One decision on whether a driver may charge: who asked (app, RFID card, vehicle MAC, admin, Plug & Charge, payment terminal or a roaming partner), on which charge point, and whether it was accepted. It lists the sessions started under it; anonymous drivers carry user id 0.',
    Cdr: 'A charge detail record exchanged with a roaming partner over OCPI or OICP (Hubject): the final, priced summary of one session, either issued by this network as CPO or received as eMSP.',
    Reservation:
      'A hold a driver placed on one EVSE so nobody else can start charging on it for a limited number of minutes.',
    Booking:
      'A confirmed slot for a driver to charge at a location between a start and an end time, on up to three EVSEs; it follows the slot from acceptance through the OCPP reservation to the session that fulfils it.',
    BookingRequest:
      'A request to create, change or cancel a booking, which is then approved or rejected; an approved create request points to the booking it produced.',
    ParkingSpace:
      'A parking bay at a location, linked to the EVSEs that can reach it, with whether it is enabled and whether a vehicle occupies it.',
    ChargePointDowntimePeriod:
      'A stretch of time in which a charge point was out of service, recorded automatically from its statuses or entered by an operator as an exempt period, for uptime reporting.',
    EvseDowntimePeriod:
      'A stretch of time in which one EVSE was out of service, recorded automatically from its statuses or entered by an operator as an exempt period, for uptime reporting.',
    DowntimePeriodNotice:
      'A reason from the operator-kept list that is attached to downtime periods to explain them (an outage cause, or why a period is exempt).',
    SecurityEvent:
      'A critical security event a charge point pushed to AMPECO over OCPP (firmware updated, reboot, clock set, tamper detected, ...).',
    ChargePointConfiguration:
      "One OCPP configuration key of a charge point and its value, as AMPECO last read it from the charger (a cached copy, not a live query).",
    HardwareStatusLog:
      'One entry of the OCPP status history of a charge point or EVSE: the status it reported, when, and any error code that came with it.',
    NetworkStatusLog:
      'One entry of the connection history of a charge point: whether it was connected to AMPECO from that moment on.',
    ChargePointShare:
      'A user a charge point is shared with, giving them access to charge on it (typically a personal charger shared by its owner).',
    ChargePointSharedPartner:
      'A partner granted access to a private charge point that has an owner: its invited users may charge there and its admins may view the charge point.',
    ChargePointStatus:
      'The current connection and hardware status of a charge point and of each of its EVSEs, in one read.',
    SessionConsumptionStats:
      'One sample of a session over time: the energy delivered so far and the charging power at that moment; finished sessions return an aggregated series of at most 300 samples.',

    // Hardware
    FirmwareVersion:
      'A firmware release of a charge point vendor, uploaded to AMPECO with its file and signature, that can be installed on compatible charge point models.',
    VendorErrorCode:
      'An entry of the operator-kept catalogue of vendor-specific error codes: what a code that a charger of a given vendor reports when faulted means, and what the customer should do.',
    ConfigurationTemplate:
      'A named set of OCPP configuration values for one OCPP version that an operator applies to many charge points at once.',
    ConfigurationTemplateVariable:
      'One configuration value inside a configuration template: an OCPP 1.6 key, or an OCPP 2.0.1 variable of a component.',
    ChargePointTemplate:
      'A preset for adding charge points: the EVSEs to create with their power, current type and load-management settings, and the subscription plans to attach.',
    ProvisioningCertificate:
      'A vehicle provisioning certificate registered for ISO 15118 Plug & Charge, belonging to a user; the id tags (EMAIDs) AMPECO issues for the vehicle hang off it.',
    InstallerJob:
      'A work order for an installation and maintenance company to install or service charge points at a location, which an installer opens with an assigned admin account or a PIN.',

    // Energy and smart charging
    Circuit:
      'An electrical circuit under dynamic load management (DLM): a current limit shared by the charge points attached to it, with per-phase consumption, priorities, and optionally a meter, a parent circuit or an external load-balancing integration.',
    CircuitChargePointPriority:
      'How much weight one charge point (and each of its EVSEs) gets when a circuit shares out its current.',
    CircuitConsumption: 'Current drawn on one phase of a circuit, as last measured.',
    CircuitSocPriorities:
      "A circuit's rule for weighting sessions by the vehicle's state of charge: one weight above an upper threshold, another below a lower one, and 1 in between.",
    CircuitUnmanagedLoad:
      'Current on one phase of a circuit that is not drawn by the charge points AMPECO manages (other consumers sharing the supply).',
    CircuitUserPriority:
      'A weight a circuit gives to sessions of users in a given user group, or of users invited by a given partner, when it shares out its current.',
    ElectricityMeter:
      'A meter on the supply of a circuit, read through an integration or reported through the API, so load management knows the real consumption.',
    ElectricityRate:
      'What electricity costs at the charge points it is linked to: a default price per kWh plus time-of-day prices by week day or date, which price-aware smart charging can use.',
    ElectricityRateEnergyMix:
      'The generation sources behind an electricity rate, as a percentage for each source.',
    ElectricityRatePricePeriod:
      'The prices of an electricity rate for one day, given either as a week day or as a calendar date, split into time periods.',
    ElectricityRateDatePricePeriod:
      'The prices of an electricity rate on one calendar date, split into time periods.',
    ElectricityRateWeekDayPricePeriod:
      'The prices of an electricity rate on one day of the week (or on every day), split into time periods.',
    Utility:
      'An electricity supplier that charge points and electricity rates can be linked to.',
    FlexibilityAsset:
      'A circuit, charge point or EVSE offered through a flexibility integration to the grid, so its consumption can be turned up or down on request.',
    FlexibilityActivationRequest:
      'An instruction to a flexibility asset to hit an energy or power target over one or more time periods.',
    FlexibilityAssetHistoricalTimeSeries:
      'The energy measured for a flexibility asset over one past time interval.',
    FlexibilityAssetTimeSeriesForecast:
      'The energy forecast for a flexibility asset over one future time interval, and how far it could be regulated down or up.',
    PersonalSmartChargingMode:
      'A smart-charging mode the owner of a personal (home) charge point may pick for it, such as a self-set schedule or a dynamic-price tariff, with its default settings.',
    PersonalSmartChargingPreferences:
      'The smart-charging mode the owner of a personal charge point has chosen and its settings (charging window, target charge, price threshold, ...).',
    ChargePointSmartCharging:
      'How AMPECO limits the charging power of a charge point: the smart-charging mode, default and minimum current, hourly limits, and the DLM circuit and electrical wiring it is managed with.',
  },
  fields: {
    Authorization: {
      method: 'How the driver identified: app, RFID card, vehicle MAC address (AutoCharge), admin, Plug & Charge, roaming or payment terminal.',
      source: 'Whether the request came from this network (local) or from a roaming platform (OCPI or Hubject).',
      status: 'Accepted (may charge), rejected, or still pending.',
      rejectionReason: 'Why the request was rejected; only set when status is rejected.',
      idTagUid: 'UID of the token presented: an RFID card UID or a vehicle MAC address.',
      roaming: 'For roaming authorizations only: the platform, the eMSP role and the partner references (OCPI authorization reference or Hubject session id, and the contract or EVCO id of the driver).',
      createdAt: 'When the authorization was requested.',
      lastUpdatedAt: 'When the record last changed in AMPECO.',
    },
    Cdr: {
      protocolType: 'Roaming protocol the CDR was exchanged over: OCPI or OICP (Hubject).',
      roamingId: 'Id of the CDR on the CPO platform that issued it.',
      startTime: 'When the session started (or the reservation, if the CDR starts with one).',
      endTime: 'When the session ended; charging may have stopped earlier, with parking time after it.',
      receivedAt: 'When AMPECO received the CDR.',
      sentAt: 'When AMPECO sent the CDR to the eMSP.',
      ocpiData: 'The CDR as exchanged over OCPI 2.1.1 or 2.2, passed through without validation: costs exclude VAT and are in its currency, energy in kWh, durations in hours. Set for OCPI CDRs.',
      oicpData: 'The CDR as exchanged over OICP (Hubject 2.2 or 2.3), passed through without validation; energy in kWh. Set for Hubject CDRs.',
      credit: 'Whether this is a credit CDR, which cancels out a CDR sent earlier.',
      isLocal: 'True when this network issued the CDR as CPO; false when it was received as eMSP.',
      deliveryResponse: "Whether the eMSP accepted the CDR; only for CDRs this network issued.",
      externalAppData: 'Data other applications stored on the record; shape is up to them. Returned only on request.',
      lastUpdatedAt: 'When the record last changed in AMPECO.',
    },
    Reservation: {
      status: 'Active while the EVSE is held; afterwards expired, canceled or done.',
      reservedAt: 'When the reservation was made.',
      canceledAt: 'When the reservation was canceled; null unless canceled.',
      duration: 'How long the EVSE is held, in minutes.',
      lastUpdatedAt: 'When the record last changed in AMPECO.',
    },
    Booking: {
      startAt: 'Confirmed start of the booked slot.',
      endAt: 'Confirmed end of the booked slot.',
      status: 'Accepted, reserved (the EVSE was reserved on the charger over OCPP), completed (a session was started), cancelled, no-show (no session within the allowed time), or failed (the EVSE could not be reserved).',
      authorizedTokens: 'OCPI tokens allowed to use the booking, with the eMSP that issued each; absent when there are none.',
      accessMethods: 'How to get into the site, copied from the location when the booking was made; absent if the location had none set.',
      bookedEvses: 'The EVSEs held for the booking (up to three); returned only on request.',
      lastUpdatedAt: 'When the record last changed in AMPECO.',
    },
    BookingRequest: {
      type: 'What is asked: create a booking, update one, or cancel one.',
      status: 'Pending, approved or rejected.',
      rejectionReason: 'Why the request was rejected; only set when status is rejected.',
      externalId: "The roaming partner's id for the request (for OCPI, its request id); absent when none was given.",
      startAt: 'Start of the requested slot (create and update requests).',
      endAt: 'End of the requested slot (create and update requests).',
      evseCriteria: 'Requirements the system used to pick an EVSE (current type, power range in kW, connector type); absent when a specific EVSE was asked for or nothing was specified.',
      parkingSpaceCriteria: 'Vehicle and parking requirements used to pick a suitable bay (weight in kg, dimensions in cm, vehicle type, drive-through, refrigeration, dangerous goods); absent when none were given.',
      authorizedTokens: 'OCPI tokens allowed to use the booking, with the eMSP that issued each; absent when there are none.',
    },
    ParkingSpace: {
      label: 'Name or number of the bay as marked on site.',
      externalId: "The operator's own identifier for the bay, if set.",
      status: 'Whether the bay is in use (enabled) or not.',
      occupancyStatus: 'Whether a vehicle is in the bay: available, occupied, or unknown when nothing has reported it.',
      disabilitiesAccessible: 'Whether the bay is accessible to drivers with disabilities.',
      evses: 'The EVSEs that serve this bay (all in the same charging zone).',
      lastUpdatedAt: 'When the record last changed in AMPECO.',
    },
    ChargePointDowntimePeriod: {
      startedAt: 'When the charge point entered a state that counts as downtime.',
      endedAt: 'When it left that state; null while the period is ongoing.',
      entryMode: 'Whether an admin entered the period (manual) or AMPECO recorded it (automatic).',
      type: 'Downtime, or exempt: a period entered by an operator with an exempt notice.',
      statuses: 'The system, network and hardware status of the charge point when the period was recorded.',
    },
    EvseDowntimePeriod: {
      startedAt: 'When the EVSE entered a state that counts as downtime.',
      endedAt: 'When it left that state; null while the period is ongoing.',
      entryMode: 'Whether an admin entered the period (manual) or AMPECO recorded it (automatic).',
      type: 'Downtime, or exempt: a period entered by an operator with an exempt notice.',
      statuses: 'The system, network and hardware status when the period was recorded.',
    },
    DowntimePeriodNotice: {
      type: 'Which periods the notice applies to: downtime or exempt ones (manual periods take exempt notices only).',
      notice: 'Short text of the reason.',
      description: 'Longer explanation of the reason, if any.',
      lastUpdatedAt: 'When the record last changed in AMPECO.',
    },
    SecurityEvent: {
      chargePoint: 'AMPECO id of the charge point that reported the event.',
      type: 'Kind of event, named as in OCPP security events (FirmwareUpdated, ResetOrReboot, TamperDetectionActivated, ...).',
      techInfo: 'Extra technical detail the charge point sent with the event.',
      timestamp: 'When the event happened.',
    },
    ChargePointConfiguration: {
      key: 'The configuration key and its value; for OCPP 2.0.1 chargers also the component, instance and EVSE number it belongs to.',
      readonly: 'Whether the charge point refuses changes to this key.',
      timestamp: 'When the value was last updated.',
      lastUpdatedAt: 'When the record last changed in AMPECO.',
    },
    HardwareStatusLog: {
      status: 'The OCPP status the charge point or EVSE reported (available, charging, faulted, ...).',
      timestamp: 'When the status was recorded.',
      errorCode: 'OCPP error code reported with the status; NoError when there was none.',
      vendorId: 'Vendor identifier the charge point sent with the status, which scopes vendorErrorCode.',
      info: 'Free-text detail the charge point sent with the status.',
      vendorErrorCode: "The manufacturer's own error code, if one was sent.",
      errorCodeDescription: 'What vendorErrorCode means, from the vendor error code catalogue.',
      errorCodeCustomerAction: 'What the customer should do about vendorErrorCode, from the vendor error code catalogue.',
    },
    NetworkStatusLog: {
      status: 'Connection status the charge point changed to at this moment.',
      timestamp: 'When the status was recorded.',
    },
    ChargePointShare: {
      sharedOn: 'When the owner shared the charge point with the user.',
    },
    ChargePointSharedPartner: {
      id: 'AMPECO id of the partner the charge point is shared with.',
      sharedAt: 'When the partner was given access.',
    },
    ChargePointStatus: {
      networkStatus: 'Whether the charge point is connected to AMPECO: never connected, connected, or disconnected for a short or a long time.',
      hardwareStatus: 'Status the charge point last reported for itself over OCPP; null if it has never reported one.',
      evses: 'Status each EVSE last reported over OCPP (available, charging, faulted, ...), by EVSE id.',
      lastUpdatedAt: 'When the status last changed.',
    },
    SessionConsumptionStats: {
      energy: 'Energy delivered from the start of the session up to this moment, in watt-hours.',
      power: 'Charging power at this moment, in watts.',
      timestamp: 'When the sample was taken.',
    },
    FirmwareVersion: {
      firmwareVersion: 'Version string of the firmware.',
      details: 'Notes on the release, if any.',
      fileUrl: 'Link to download the firmware file; valid for 24 hours.',
      signingCertificate: 'Certificate the firmware was signed with, for charge points that verify signed firmware.',
      signature: 'Digital signature of the firmware file.',
      models: 'Charge point models the firmware fits; returned only on request.',
      updatedAt: 'When the record last changed in AMPECO.',
    },
    VendorErrorCode: {
      vendorId: 'Vendor identifier exactly as charge points of that vendor report it over OCPP.',
      errorCode: 'Vendor error code a charge point reports when it goes into a faulted state.',
      errorCodeDescription: 'What the code means, as the vendor explains it.',
      errorCodeCustomerAction: 'What the customer should do when the code occurs.',
    },
    ConfigurationTemplate: {
      ocppVersion: 'OCPP version whose configuration the template holds: 1.6 keys or 2.0.1 variables.',
      lastUpdatedAt: 'When the record last changed in AMPECO.',
    },
    ConfigurationTemplateVariable: {
      keyName: 'OCPP 1.6 configuration key; set only for OCPP 1.6 templates.',
      value: 'Value to set, as a string.',
      variableName: 'OCPP 2.0.1 variable name; set only for OCPP 2.0.1 templates.',
      variableType: 'OCPP 2.0.1 attribute of the variable to set: Actual, Target, MinSet or MaxSet.',
      variableInstance: 'OCPP 2.0.1 instance of the variable, when it has several.',
      component: 'OCPP 2.0.1 component that holds the variable.',
      componentInstance: 'OCPP 2.0.1 instance of the component, when it has several.',
      evseId: 'OCPP 2.0.1 EVSE number the component belongs to (the number on the charger, not an AMPECO id).',
      connectorId: 'OCPP 2.0.1 connector number the component belongs to (the number on the charger, not an AMPECO id).',
      lastUpdatedAt: 'When the record last changed in AMPECO.',
    },
    ChargePointTemplate: {
      evses: 'EVSEs a charge point created from the template gets: status, OCPP EVSE number, AC/DC, maximum power, reservations, tariff group and load-management settings.',
      lastUpdatedAt: 'When the record last changed in AMPECO.',
    },
    ProvisioningCertificate: {
      pcId: 'Provisioning certificate identifier (PCID) of the vehicle.',
      vehicleType: 'Whether the vehicle is a company or a private car.',
      idTags: 'Tokens linked to the certificate, such as the EMAIDs issued for it, with their status and expiry.',
    },
    InstallerJob: {
      status: 'New, in progress, completed or failed; changed with the change-status action.',
      pin: 'PIN an installer enters to open the job when no installer admin is assigned.',
      description: 'What the installer is asked to do.',
      outcomeDetails: 'What the installer reported when completing or failing the job.',
      chargePoints: 'Charge points assigned to the job; returned only on request.',
      lastUpdatedAt: 'When the record last changed in AMPECO.',
    },
    Circuit: {
      phases: 'Single-, split- or three-phase supply.',
      phaseRotation: 'Order in which the supply phases are wired (R = L1, S = L2, T = L3); needed in multi-level DLM for three-phase circuits.',
      connectedPhase: 'Line conductors a single- or split-phase circuit uses; needed in multi-level DLM for those circuits.',
      electricalConfiguration: 'Earthing system: star (TN, the default) or delta (IT).',
      maxVoltage: 'Nominal supply voltage, in volts (a range for some markets).',
      maxCurrent: 'Current limit of the whole circuit, in amperes; usually the rating of its breaker.',
      minChargePointCurrent: 'Lowest current, in amperes, a charge point may be throttled to; a new session does not start if that would push another below it. Null means no minimum.',
      setSessionLimitToZeroOnIdle: 'Deprecated. Whether a session gets a limit of zero while it is idle.',
      offlineReservedCurrent: 'Current, in amperes, kept back for other consumers on the circuit while its electricity meter is offline.',
      loadBalancingIntegration: "Third-party service whose charging limits the circuit applies instead of AMPECO's own load balancing, with its settings; null when AMPECO balances the load itself.",
      chargePointPriorities: 'Weight of each charge point and its EVSEs when the current is shared out.',
      userPriorities: 'Weights for sessions of particular user groups or partners.',
      socPriorities: "Weights by the vehicle's state of charge; null when not set.",
      consumption: 'Current drawn on each phase, in amperes, as last measured.',
      unmanagedLoad: 'Current on each phase not drawn by managed charge points, in amperes.',
    },
    CircuitChargePointPriority: {
      id: 'AMPECO id of the charge point the weight applies to.',
      priority: 'Weight relative to the other charge points: 1 is normal, 2 twice as much, 0.5 half.',
      evses: "Weights of the charge point's EVSEs, by EVSE id.",
    },
    CircuitConsumption: {
      phase: 'Phase measured: L1, L2 or L3.',
      consumption: 'Current drawn on the phase, in amperes.',
      lastUpdatedAt: 'When the value was last measured.',
    },
    CircuitSocPriorities: {
      upperThresholdPercent: 'State of charge (percent) above which highSoCPriority applies; null turns that rule off.',
      highSoCPriority: 'Weight of sessions whose vehicle is above the upper threshold (1 is normal).',
      lowerThresholdPercent: 'State of charge (percent) below which lowSoCPriority applies; null turns that rule off.',
      lowSoCPriority: 'Weight of sessions whose vehicle is below the lower threshold (1 is normal).',
    },
    CircuitUnmanagedLoad: {
      phase: 'Phase measured: L1, L2 or L3.',
      consumption: 'Current on the phase not drawn by managed charge points, in amperes.',
      lastUpdatedAt: 'When the value was last measured.',
    },
    CircuitUserPriority: {
      type: 'Whom the weight targets: members of a user group, or users invited by a partner.',
      priority: 'Weight of their sessions relative to others: 1 is normal, 2 twice as much, 0.5 half.',
    },
    ElectricityMeter: {
      integrationParameters: 'Settings the meter integration needs to read this meter (for example its device id), as name-value pairs.',
    },
    ElectricityRate: {
      defaultPrice: 'Price per kWh, tax included, for any time no price period covers.',
      taxPercentage: 'Tax rate included in the prices, in percent; for information only, since prices already include it.',
      type: 'Kind of rate: prices set by the operator (admin_defined), or one of the Octopus Go, Agile Octopus or Nord Pool tariffs.',
    },
    ElectricityRateEnergyMix: {
      solar: 'Share from solar power, in percent.',
      wind: 'Share from wind, in percent.',
      hydro: 'Share from hydropower, in percent.',
      nuclear: 'Share from nuclear power, in percent.',
      coal: 'Share from coal, in percent.',
      naturalGas: 'Share from natural gas, in percent.',
      otherRenewable: 'Share from other renewable sources, in percent.',
      otherNonRenewable: 'Share from other non-renewable sources, in percent.',
    },
    ElectricityRatePricePeriod: {
      weekDay: 'Day of the week the prices apply to, or any for every day; set for week-day prices.',
      date: 'Calendar date (YYYY-MM-DD) the prices apply to; set for date prices.',
      periods: 'Time periods of the day with their price per kWh, tax included; start and end are HH:MM in local time, not UTC.',
    },
    ElectricityRateDatePricePeriod: {
      date: 'Calendar date (YYYY-MM-DD) the prices apply to.',
      periods: 'Time periods of the day with their price per kWh, tax included; start and end are HH:MM in local time, not UTC.',
    },
    ElectricityRateWeekDayPricePeriod: {
      weekDay: 'Day of the week the prices apply to, or any for every day; a rate uses either any or specific days, not both.',
      periods: 'Time periods of the day with their price per kWh, tax included; start and end are HH:MM in local time, not UTC.',
    },
    Utility: {
      chargePointsCount: 'Number of charge points linked to the utility.',
      electricityRatesCount: 'Number of electricity rates linked to the utility.',
      updatedAt: 'When the record last changed in AMPECO.',
    },
    FlexibilityAsset: {
      description: 'Short description of the asset, if any.',
      downwardRegulationLimit: 'How far consumption can be turned down, in watts; computed by AMPECO.',
      upwardRegulationLimit: 'How far consumption can be turned up, in watts; computed by AMPECO.',
      integrationParameters: 'Settings the flexibility integration needs for this asset; shape depends on the integration.',
      status: 'Whether the asset takes part in flexibility (enabled) or not.',
      endsAt: 'When the asset is disabled automatically; no history or forecasts are produced after it.',
    },
    FlexibilityActivationRequest: {
      timestamp: 'When the request was made.',
      periods: 'Time windows of the request, each with a target: energy in watt-hours or maximum power in watts.',
    },
    FlexibilityAssetHistoricalTimeSeries: {
      startTime: 'Start of the interval.',
      endTime: 'End of the interval.',
      energy: 'Energy measured for the asset in the interval, in watt-hours.',
    },
    FlexibilityAssetTimeSeriesForecast: {
      startTime: 'Start of the interval.',
      endTime: 'End of the interval.',
      energy: 'Energy forecast for the asset in the interval, in watt-hours.',
      downwardRegulationPotential: 'By how much the energy could be regulated down in the interval, in watt-hours.',
      upwardRegulationPotential: 'By how much the energy could be regulated up in the interval, in watt-hours.',
    },
    PersonalSmartChargingMode: {
      name: 'Name of the mode shown to the owner.',
      type: 'The mode: an owner-controlled schedule, or a tariff-driven mode (Octopus Agile, Octopus Go, Nord Pool).',
      defaults: 'Starting values for the settings of the mode (charging window, maximum price, departure time); times in 24-hour HH:MM.',
      locations: 'Nord Pool price regions the owner can choose from (Nord Pool mode only).',
    },
    PersonalSmartChargingPreferences: {
      enabled: 'Whether the owner has smart charging switched on.',
      type: 'The chosen mode: owner-controlled schedule, solar, Octopus Agile, Octopus Go, Nord Pool, or an electricity rate of the charger.',
      preferences: 'Settings of the chosen mode; shape depends on type (charging windows in 24-hour time, target charge in kWh, pre-conditioning in minutes, price threshold per kWh, ...).',
    },
    ChargePointSmartCharging: {
      mode: 'tod: maximum current by hour of the day; dynamic: managed by a DLM circuit; user_schedule: a personal charger whose owner sets a schedule; disabled: no smart charging.',
      defaultChargePointMaxCurrent: 'Maximum current, in amperes, used by smart charging wherever no other limit is set.',
      minCurrent: 'Minimum charging current; required for owner-controlled schedules.',
      periods: 'For tod: the maximum current per hour, by week day (or all days); every period is 60 minutes, times in 24-hour HH:MM.',
      preconditioningTime: 'Minutes before departure during which the vehicle charges at full power.',
      enableKeepAwake: 'For personal chargers: keep the vehicle awake during scheduled periods by charging at a low current.',
      allowDynamicLoadManagement: 'For user_schedule: whether the charge point may be added to a DLM circuit.',
      maxVoltage: 'Nominal supply voltage, in volts (a range for some markets).',
      electricalConfiguration: 'Earthing system: star (TN, the default) or delta (IT).',
      phases: 'Single-, split- or three-phase supply.',
      phaseRotation: 'Order in which the phases are wired (R = L1, S = L2, T = L3); superseded by connectedPhase for single-phase chargers.',
      connectedPhase: 'Line conductors a single- or split-phase charge point is connected to.',
    },
  },
};
