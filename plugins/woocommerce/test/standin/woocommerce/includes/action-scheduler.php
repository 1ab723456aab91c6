<?php
/**
 * Model of Action Scheduler's public API as bundled with WooCommerce 9.4.3 (packages/action-scheduler/functions.php,
 * classes/data-stores/ActionScheduler_DBStore.php): action_scheduler_init on init (1), as_schedule_single_action,
 * as_schedule_recurring_action (next run scheduled after each run), as_enqueue_async_action, as_next_scheduled_action, as_has_scheduled_action,
 * as_unschedule_action, as_unschedule_all_actions, as_get_scheduled_actions (ids).
 *
 * Behaviour kept: actions are rows in {prefix}actionscheduler_actions (hook, status pending|in-progress|complete|
 * failed|canceled, JSON args, scheduled_date_gmt, group); $unique refuses a second pending/in-progress action with the
 * same hook in the same group, WHATEVER ITS ARGS (as Action Scheduler's DB store does), and returns 0; as_next_scheduled_action() returns the timestamp of the next pending action,
 * true for one in progress (or async), false for none; args are matched exactly when given (null: any); a due action
 * runs as do_action_ref_array( $hook, array_values( $args ) ); an exception marks it failed.
 *
 * Running: WooCommerce runs due actions from WP-Cron and async requests; the stand-in runs them only when asked:
 * WC_Standin_Action_Scheduler::run_due_actions( $now ) in PHP, or POST /wp-json/wc-standin/v1/run-due-actions
 * (optional "now": a timestamp, to run what would be due then; needs manage_woocommerce).
 *
 * @package WooCommerceStandin
 */

defined( 'ABSPATH' ) || exit;

/**
 * Storage and runner.
 */
class WC_Standin_Action_Scheduler {

	/**
	 * Table.
	 *
	 * @return string
	 */
	public static function table() {
		global $wpdb;
		return $wpdb->prefix . 'actionscheduler_actions';
	}

	/**
	 * CREATE TABLE.
	 *
	 * @return string
	 */
	public static function schema() {
		global $wpdb;
		$t = self::table();
		return "CREATE TABLE $t (
  action_id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  hook varchar(191) NOT NULL,
  status varchar(20) NOT NULL,
  scheduled_date_gmt datetime NULL,
  args varchar(191),
  extended_args varchar(8000) DEFAULT NULL,
  group_slug varchar(255) NOT NULL DEFAULT '',
  priority tinyint unsigned NOT NULL DEFAULT 10,
  recurrence int(11) unsigned NOT NULL DEFAULT 0,
  attempts int(11) NOT NULL DEFAULT 0,
  last_attempt_gmt datetime NULL,
  PRIMARY KEY  (action_id),
  KEY hook_status_scheduled_date_gmt (hook(163), status, scheduled_date_gmt),
  KEY status_scheduled_date_gmt (status, scheduled_date_gmt)
) " . $wpdb->get_charset_collate() . ';';
	}

	/**
	 * Stores an action.
	 *
	 * @param int    $timestamp When (GMT timestamp).
	 * @param string $hook      Hook.
	 * @param array  $args      Args.
	 * @param string $group     Group.
	 * @param bool   $unique    Unique.
	 * @param int    $priority  Priority.
	 * @return int Action id, 0 when refused.
	 */
	public static function store( $timestamp, $hook, $args, $group, $unique, $priority, $recurrence = 0 ) {
		global $wpdb;
		if ( $unique ) {
			// Like Action Scheduler's DB store: unique means no pending/running action with this hook in this exact
			// group (args are NOT compared).
			foreach ( self::query( $hook, null, '', array( 'pending', 'in-progress' ) ) as $row ) {
				if ( $row['group_slug'] === (string) $group ) {
					return 0;
				}
			}
		}
		$json = wp_json_encode( (array) $args );
		$wpdb->insert(
			self::table(),
			array(
				'hook'               => $hook,
				'status'             => 'pending',
				'scheduled_date_gmt' => gmdate( 'Y-m-d H:i:s', (int) $timestamp ),
				'args'               => strlen( $json ) <= 191 ? $json : md5( $json ),
				'extended_args'      => strlen( $json ) > 191 ? $json : null,
				'group_slug'         => (string) $group,
				'priority'           => (int) $priority,
				'recurrence'         => (int) $recurrence,
			)
		);
		return (int) $wpdb->insert_id;
	}

	/**
	 * First matching action row.
	 *
	 * @param string     $hook     Hook.
	 * @param array|null $args     Args (null: any).
	 * @param string     $group    Group ('' : any).
	 * @param array      $statuses Statuses.
	 * @return array|null
	 */
	public static function find( $hook, $args, $group, $statuses ) {
		global $wpdb;
		$rows = self::query( $hook, $args, $group, $statuses );
		return $rows ? $rows[0] : null;
	}

	/**
	 * Matching rows ordered by schedule.
	 *
	 * @param string     $hook     Hook.
	 * @param array|null $args     Args (null: any).
	 * @param string     $group    Group ('' : any).
	 * @param array      $statuses Statuses.
	 * @return array
	 */
	public static function query( $hook, $args, $group, $statuses ) {
		global $wpdb;
		$t     = self::table();
		$in    = implode( ',', array_fill( 0, count( $statuses ), '%s' ) );
		$sql   = $wpdb->prepare( "SELECT * FROM {$t} WHERE hook = %s AND status IN ({$in})", array_merge( array( $hook ), $statuses ) ); // phpcs:ignore WordPress.DB.PreparedSQL
		$rows  = (array) $wpdb->get_results( $sql . ' ORDER BY scheduled_date_gmt ASC, action_id ASC', ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		$match = array();
		foreach ( $rows as $row ) {
			if ( '' !== (string) $group && $row['group_slug'] !== (string) $group ) {
				continue;
			}
			if ( null !== $args && self::row_args( $row ) !== array_values( (array) $args ) && self::row_args( $row, false ) !== (array) $args ) {
				continue;
			}
			$match[] = $row;
		}
		return $match;
	}

	/**
	 * Decoded args of a row.
	 *
	 * @param array $row    Row.
	 * @param bool  $values Values only.
	 * @return array
	 */
	public static function row_args( $row, $values = true ) {
		$args = json_decode( null !== $row['extended_args'] ? $row['extended_args'] : (string) $row['args'], true );
		$args = is_array( $args ) ? $args : array();
		return $values ? array_values( $args ) : $args;
	}

	/**
	 * Runs pending actions due at $now (default: now). Actions scheduled while running wait for the next call.
	 *
	 * @param int|null $now Timestamp.
	 * @return array Ran: [ [ action_id, hook, status ] ].
	 */
	public static function run_due_actions( $now = null ) {
		global $wpdb;
		$now  = null === $now ? time() : (int) $now;
		$t    = self::table();
		$rows = (array) $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$t} WHERE status = 'pending' AND scheduled_date_gmt <= %s ORDER BY priority ASC, scheduled_date_gmt ASC, action_id ASC", gmdate( 'Y-m-d H:i:s', $now ) ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$ran  = array();
		foreach ( $rows as $row ) {
			$claimed = $wpdb->update(
				$t,
				array(
					'status'           => 'in-progress',
					'attempts'         => (int) $row['attempts'] + 1,
					'last_attempt_gmt' => gmdate( 'Y-m-d H:i:s' ),
				),
				array(
					'action_id' => $row['action_id'],
					'status'    => 'pending',
				)
			);
			if ( 1 !== $claimed ) {
				continue;
			}
			$status = 'complete';
			try {
				do_action( 'action_scheduler_before_execute', (int) $row['action_id'], 'standin' );
				do_action_ref_array( $row['hook'], self::row_args( $row ) );
			} catch ( Throwable $e ) {
				$status = 'failed';
			}
			$wpdb->update( $t, array( 'status' => $status ), array( 'action_id' => $row['action_id'] ) );
			if ( (int) $row['recurrence'] > 0 ) {
				// A recurring action schedules its next run (from the scheduled time, like Action Scheduler's interval schedule).
				self::store( strtotime( $row['scheduled_date_gmt'] . ' UTC' ) + (int) $row['recurrence'], $row['hook'], self::row_args( $row, false ), $row['group_slug'], false, (int) $row['priority'], (int) $row['recurrence'] );
			}
			$ran[] = array(
				'action_id' => (int) $row['action_id'],
				'hook'      => $row['hook'],
				'status'    => $status,
			);
		}
		return $ran;
	}

	/**
	 * REST route for tests.
	 */
	public static function register_routes() {
		register_rest_route(
			'wc-standin/v1',
			'/run-due-actions',
			array(
				'methods'             => 'POST',
				'permission_callback' => function () {
					return current_user_can( 'manage_woocommerce' );
				},
				'args'                => array(
					'now' => array(
						'type'     => 'integer',
						'required' => false,
					),
				),
				'callback'            => function ( WP_REST_Request $request ) {
					$now = $request->get_param( 'now' );
					return rest_ensure_response( array( 'ran' => self::run_due_actions( null === $now ? null : (int) $now ) ) );
				},
			)
		);
	}
}
add_action( 'rest_api_init', array( 'WC_Standin_Action_Scheduler', 'register_routes' ) );
add_action(
	'init',
	function () {
		// Action Scheduler announces itself on init (priority 1); its functions are safe to call after that.
		do_action( 'action_scheduler_init' );
	},
	1
);

/**
 * Schedules a recurring action every $interval_in_seconds from $timestamp.
 *
 * @param int    $timestamp           First run.
 * @param int    $interval_in_seconds Interval.
 * @param string $hook                Hook.
 * @param array  $args                Args.
 * @param string $group               Group.
 * @param bool   $unique              Unique (hook + group).
 * @param int    $priority            Priority.
 * @return int Action id (0 if refused).
 */
function as_schedule_recurring_action( $timestamp, $interval_in_seconds, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	if ( (int) $interval_in_seconds <= 0 ) {
		_doing_it_wrong( __FUNCTION__, 'Interval must be a positive number of seconds.', '3.0.0' );
		return 0;
	}
	return WC_Standin_Action_Scheduler::store( $timestamp, $hook, $args, $group, $unique, $priority, (int) $interval_in_seconds );
}

/**
 * Schedules an action once.
 *
 * @param int    $timestamp When.
 * @param string $hook      Hook.
 * @param array  $args      Args.
 * @param string $group     Group.
 * @param bool   $unique    Unique.
 * @param int    $priority  Priority.
 * @return int Action id (0 if refused as not unique).
 */
function as_schedule_single_action( $timestamp, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	$pre = apply_filters( 'pre_as_schedule_single_action', null, $timestamp, $hook, $args, $group, $priority, $unique );
	if ( null !== $pre ) {
		return is_int( $pre ) ? $pre : 0;
	}
	return WC_Standin_Action_Scheduler::store( $timestamp, $hook, $args, $group, $unique, $priority );
}

/**
 * Enqueues an action to run as soon as possible.
 *
 * @param string $hook     Hook.
 * @param array  $args     Args.
 * @param string $group    Group.
 * @param bool   $unique   Unique.
 * @param int    $priority Priority.
 * @return int
 */
function as_enqueue_async_action( $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	return WC_Standin_Action_Scheduler::store( time(), $hook, $args, $group, $unique, $priority );
}

/**
 * Next pending action's timestamp; true if one is in progress; false if none.
 *
 * @param string     $hook  Hook.
 * @param array|null $args  Args (null: any).
 * @param string     $group Group.
 * @return int|bool
 */
function as_next_scheduled_action( $hook, $args = null, $group = '' ) {
	$row = WC_Standin_Action_Scheduler::find( $hook, $args, $group, array( 'in-progress' ) );
	if ( $row ) {
		return true;
	}
	$row = WC_Standin_Action_Scheduler::find( $hook, $args, $group, array( 'pending' ) );
	return $row ? (int) strtotime( $row['scheduled_date_gmt'] . ' UTC' ) : false;
}

/**
 * Whether a pending or running action exists.
 *
 * @param string     $hook  Hook.
 * @param array|null $args  Args.
 * @param string     $group Group.
 * @return bool
 */
function as_has_scheduled_action( $hook, $args = null, $group = '' ) {
	return (bool) WC_Standin_Action_Scheduler::find( $hook, $args, $group, array( 'pending', 'in-progress' ) );
}

/**
 * Cancels the next pending matching action.
 *
 * @param string     $hook  Hook.
 * @param array|null $args  Args.
 * @param string     $group Group.
 * @return int|null Cancelled id.
 */
function as_unschedule_action( $hook, $args = array(), $group = '' ) {
	global $wpdb;
	$row = WC_Standin_Action_Scheduler::find( $hook, $args, $group, array( 'pending' ) );
	if ( ! $row ) {
		return null;
	}
	$wpdb->update( WC_Standin_Action_Scheduler::table(), array( 'status' => 'canceled' ), array( 'action_id' => $row['action_id'] ) );
	return (int) $row['action_id'];
}

/**
 * Cancels all pending matching actions (empty args: any args, as Action Scheduler does).
 *
 * @param string $hook  Hook.
 * @param array  $args  Args.
 * @param string $group Group.
 */
function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
	global $wpdb;
	foreach ( WC_Standin_Action_Scheduler::query( $hook, empty( $args ) ? null : $args, $group, array( 'pending' ) ) as $row ) {
		$wpdb->update( WC_Standin_Action_Scheduler::table(), array( 'status' => 'canceled' ), array( 'action_id' => $row['action_id'] ) );
	}
}

/**
 * Ids of actions matching hook/args/group/status (a subset of as_get_scheduled_actions, return_format 'ids').
 *
 * @param array $args hook, args, group, status.
 * @return int[]
 */
function as_get_scheduled_actions( $args = array() ) {
	$args     = wp_parse_args(
		$args,
		array(
			'hook'   => '',
			'args'   => null,
			'group'  => '',
			'status' => 'pending',
		)
	);
	$statuses = (array) $args['status'];
	return array_map(
		function ( $row ) {
			return (int) $row['action_id'];
		},
		WC_Standin_Action_Scheduler::query( $args['hook'], $args['args'], $args['group'], $statuses )
	);
}
